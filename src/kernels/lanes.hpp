// src/kernels/lanes.hpp
//
// Lanes: a vector of 16 floats as a type of its own (the vector extension of GCC and Clang, fixed width).
// A micro-kernel written with it says which index runs along the vector: each statement on Lanes is one
// vector load, store, multiply-add or broadcast, whatever -mtune or vector-width preference the compiler
// was given. (Plain loops leave that choice to the auto-vectoriser, which may lay a register tile out along
// the other index, with gathers, under one tuning and not another.) With AVX-512 a Lanes is one register;
// without it the compiler splits it into narrower ones.
//
//   load_lanes(bv, b); acc += a * bv;      acc[l] += a * b[l] for the 16 lanes l (a: one float, broadcast)
#pragma once

#include <cstring>

namespace convlab {

constexpr int kLanes = 16;  // floats per vector: one AVX-512 register
typedef float Lanes __attribute__((vector_size(kLanes * sizeof(float))));

// The 16 floats at p, any float address (no alignment asked): `load_lanes(v, p);`, `store_lanes(p, v);`.
// memcpy is how C++ reads unaligned bytes as another type; compilers make it one unaligned vector load or
// store. (A vector type made less aligned by an attribute is not portable: Clang keeps the vector's own
// alignment and emits aligned loads, which fault on most addresses. Out-parameters, not return values: a
// Lanes returned by value without AVX-512 would change the calling convention.)
inline void load_lanes(Lanes& v, const float* p) { std::memcpy(&v, p, sizeof(Lanes)); }
inline void store_lanes(float* p, const Lanes& v) { std::memcpy(p, &v, sizeof(Lanes)); }

// Holds v in a register: each later use reads that register. A Lanes loaded by load_lanes may otherwise be
// read again from memory by every multiply-add that uses it (GCC 12 under -mtune=znver2/znver3, the tuning
// -march=native picks on a Zen 4, does that for all 24 of grid_dot_kernel's: 24 loads per 24 multiply-adds
// instead of 10, 20 of them unaligned). On x86 with AVX-512 an empty asm statement that "changes" v pins it
// to a register; elsewhere it does nothing. (v by reference: a Lanes passed by value without AVX-512 would
// change the calling convention.)
inline void keep_in_register(Lanes& v) {
#if defined(__x86_64__) && defined(__AVX512F__) && defined(__GNUC__)
    __asm__("" : "+v"(v));
#else
    (void)v;
#endif
}

}  // namespace convlab
