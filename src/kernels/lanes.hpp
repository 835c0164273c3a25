// src/kernels/lanes.hpp
//
// Lanes: a vector of 16 floats as a type of its own (the vector extension of GCC and Clang, fixed width).
// A micro-kernel written with it says which index runs along the vector: each statement on Lanes is one
// vector load, store, multiply-add or broadcast, whatever -mtune or vector-width preference the compiler
// was given. (Plain loops leave that choice to the auto-vectoriser, which may lay a register tile out along
// the other index, with gathers, under one tuning and not another.) With AVX-512 a Lanes is one register;
// without it the compiler splits it into narrower ones.
//
//   acc += a * lanes_at(b)      acc[l] += a * b[l] for the 16 lanes l (a: one float, broadcast)
#pragma once

namespace convlab {

constexpr int kLanes = 16;  // floats per vector: one AVX-512 register
typedef float Lanes __attribute__((vector_size(kLanes * sizeof(float))));

// The 16 floats at p (any float address: no alignment asked, and read or written as floats, as the
// compiler's own unaligned vector types are): `Lanes v = lanes_at(p);`, `lanes_at(p) = v;`.
typedef float LanesAt __attribute__((vector_size(kLanes * sizeof(float)), aligned(alignof(float)), may_alias));
inline const LanesAt& lanes_at(const float* p) { return *reinterpret_cast<const LanesAt*>(p); }
inline LanesAt& lanes_at(float* p) { return *reinterpret_cast<LanesAt*>(p); }

}  // namespace convlab
