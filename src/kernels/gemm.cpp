// src/kernels/gemm.cpp
//
// C (M x N) = alpha * op(A) (M x K) * op(B) (K x N) + beta * C, in the Goto/BLIS structure:
//
//   for jc over N in steps of NC:                 op(B) block KC x NC, packed once, stays in L2 while ...
//     for pc over K in slices of at most KC:
//       pack op(B)[pc:pc+KC, jc:jc+NC]
//       for ic over M in steps of MC:              ... every row block of op(A) passes by
//         pack op(A)[ic:ic+MC, pc:pc+KC]
//         for ir over the block in steps of MR:    one MR x KC panel of A stays in L1 while ...
//           for jr over the block in steps of NR:  ... the KC x NR panels of B stream past it from L2
//             C tile (MR x NR) = alpha * A panel * B panel + (pc == 0 ? beta : 1) * C tile
//
// gemm_naive (gemm_naive.cpp) is the definition; tests/kernels/test_gemm.cpp checks this against it.
//
// Threads share the work in one of two ways, whichever cuts C into more pieces (the tests run both):
//   row blocks    (more MC-row blocks than NC-column blocks: square or tall C). All threads pack each
//                 KC x NC block of op(B) together (one pool job, one NR panel at a time), then share out
//                 the ic loop over it (a second job): each row block of C (whole tiles, at most MC rows)
//                 goes to one thread. op(B) and op(A) are packed exactly as often as on one thread.
//   column strips (wide C, e.g. the im2col products of early conv layers): each strip of whole NC blocks
//                 goes to one thread, which runs all five loops on it, packing its own blocks of op(B) and
//                 of op(A) (one thread packs op(A) once per NC block anyway).
// Pieces go to whichever thread is free next, so a thread that starts late, or shares its CPU with another
// process, takes fewer. Same bits for any thread count: pieces start at multiples of MR rows or NR columns,
// so C is always cut into the same MR x NR tiles at the same places, and K into the same slices; each tile
// is computed by the same kernel calls in the same order (pc = 0, kc, 2 kc, ...), whichever thread owns it.
// How fast this is, against OpenBLAS, on 1 and 2 threads: docs/benchmarks.md.
#include "kernels/gemm.hpp"

#include <algorithm>
#include <utility>

#include "core/allocator.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "kernels/cache.hpp"
#include "kernels/gemm_micro_kernel.hpp"
#include "kernels/gemm_pack.hpp"

namespace convlab {
namespace {

constexpr int64_t MR = kGemmMR, NR = kGemmNR;
constexpr int64_t KC = 384;   // an MR x KC panel of A is 21 KB: stays in L1 beside the B panel passing
constexpr int64_t MC = 168;   // an MC x KC block of A is 252 KB (12 panels): packed once, read panel by panel
constexpr int64_t NC = 1024;  // a KC x NC block of B is 1.5 MB: stays in L2 for all of A's row blocks
static_assert(MC % MR == 0 && NC % NR == 0, "blocks must hold whole tiles, so tiles sit at the same places");
static_assert(2 * MR * KC * int64_t(sizeof(float)) <= kL1Bytes, "an A panel and a B panel must fit in L1 together");
static_assert(KC * NC * int64_t(sizeof(float)) <= kL2Bytes, "a packed block of B must fit in L2");

// Below this many multiply-adds packing costs more than it saves (each packed value is used too few
// times to pay for its copy): a plain loop does the job.
constexpr int64_t kSmallMacs = 16 * 16 * 16;
// Each piece of C handed to a thread holds at least this many multiply-adds. kTaskGrain counts plain loop
// steps; the micro-kernel does dozens of multiply-adds per cycle (two 16-wide fused multiply-adds), so a
// piece needs that many times more. (It changes how many pieces C is cut into, never which tiles.)
constexpr int64_t kMacsPerPiece = 64 * kTaskGrain;

// A buffer per thread, kept between calls: a fresh page costs a page fault on first touch, more than many a
// product. Storage comes from the caching allocator: 64-byte aligned.
class Buffer {
public:
    ~Buffer() { free_floats(data_, size_); }
    float* get(size_t n) {
        if (n > size_) {
            free_floats(std::exchange(data_, nullptr), std::exchange(size_, 0));  // empty if alloc throws
            data_ = alloc_floats(n);
            size_ = n;
        }
        return data_;
    }

private:
    float* data_ = nullptr;
    size_t size_ = 0;
};

struct GemmArgs {
    bool trans_a, trans_b;
    int64_t K;
    float alpha;
    const float* A;
    int64_t lda;
    const float* B;
    int64_t ldb;
    float beta;
    float* C;
    int64_t ldc;
};

// One tile of C at (i, j), rows x cols (cols <= NR). A tile narrower than NR is computed in a full-width
// scratch tile and copied back, so the kernel always writes NR columns and never past C's edge.
void tile(const GemmArgs& g, int64_t i, int64_t j, int rows, int64_t cols, int64_t kc, const float* a_panel,
          const float* b_panel, float beta) {
    float* c = g.C + i * g.ldc + j;
    if (cols == NR) {
        gemm_micro_kernel(rows, kc, a_panel, b_panel, c, g.ldc, g.alpha, beta);
        return;
    }
    alignas(64) float scratch[MR * NR];
    for (int r = 0; r < rows; ++r) std::copy(c + r * g.ldc, c + r * g.ldc + cols, scratch + r * NR);
    gemm_micro_kernel(rows, kc, a_panel, b_panel, scratch, NR, g.alpha, beta);
    for (int r = 0; r < rows; ++r) std::copy(scratch + r * NR, scratch + r * NR + cols, c + r * g.ldc);
}

// Length of the K slices: K is cut into ceil(K / KC) slices of equal length (rounded up to 16, the last
// one shorter), not into KC, KC, ..., leftover: each slice costs a pass over C, and a thin last one would
// cost a whole pass for a sliver of the work. A function of K alone, as the same bits for any thread
// count require.
int64_t k_slice(int64_t K) {
    const int64_t slices = (K + KC - 1) / KC;
    return std::min(KC, ((K + slices - 1) / slices + 15) / 16 * 16);
}

// The tiles of C[m0:m1, n0:n0+nc] for the K slice [pc, pc+kc), given op(B)[pc:pc+kc, n0:n0+nc] packed in
// b_packed: the ic, ir and jr loops above. m0 is a multiple of MR, n0 of NR.
void macro_kernel(const GemmArgs& g, int64_t m0, int64_t m1, int64_t n0, int64_t nc, int64_t pc, int64_t kc,
                  const float* b_packed) {
    thread_local Buffer a_buffer;
    float* a_packed = a_buffer.get(static_cast<size_t>(MC * KC));
    const float beta = pc == 0 ? g.beta : 1.0f;  // later K slices add to what the first one wrote
    for (int64_t ic = m0; ic < m1; ic += MC) {
        const int64_t mc = std::min(MC, m1 - ic);
        gemm_pack_a(g.trans_a, g.A, g.lda, ic, mc, pc, kc, a_packed);
        for (int64_t ir = 0; ir < mc; ir += MR)
            for (int64_t jr = 0; jr < nc; jr += NR)
                tile(g, ic + ir, n0 + jr, static_cast<int>(std::min(MR, mc - ir)), std::min(NR, nc - jr), kc,
                     a_packed + ir * kc, b_packed + jr * kc, beta);
    }
}

// The strip C[0:M, n0:n1] on the calling thread, packing its own blocks of op(B): all five loops.
void column_strip(const GemmArgs& g, int64_t M, int64_t n0, int64_t n1) {
    thread_local Buffer b_buffer;
    float* b_packed = b_buffer.get(static_cast<size_t>(KC * NC));
    const int64_t slice = k_slice(g.K);
    for (int64_t jc = n0; jc < n1; jc += NC) {
        const int64_t nc = std::min(NC, n1 - jc);
        for (int64_t pc = 0; pc < g.K; pc += slice) {
            const int64_t kc = std::min(slice, g.K - pc);
            gemm_pack_b(g.trans_b, g.B, g.ldb, pc, kc, jc, nc, b_packed);
            macro_kernel(g, 0, M, jc, nc, pc, kc, b_packed);
        }
    }
}

// Cuts `units` whole tiles into `pieces` runs of near-equal length: piece p starts at tile
// units * p / pieces, times `unit` (MR rows or NR columns), and the last one ends at `size`.
int64_t piece_start(int64_t p, int64_t pieces, int64_t units, int64_t unit, int64_t size) {
    return std::min(size, units * p / pieces * unit);
}

// Pieces for the threads: `wanted` rounded up to a multiple of the thread count (equal shares), at most one
// per tile and per kMacsPerPiece multiply-adds.
int64_t pieces_for(int64_t wanted, int64_t tiles, int64_t macs) {
    const int64_t threads = num_threads();
    const int64_t balanced = (wanted + threads - 1) / threads * threads;
    return std::max<int64_t>(1, std::min({balanced, tiles, macs / kMacsPerPiece}));
}

// Row blocks sharing op(B) (see "Threads" above): the five loops, with the packing of each op(B) block
// and the ic loop over it each shared out as one pool job.
void row_blocks(const GemmArgs& g, int64_t M, int64_t N) {
    const int64_t tile_rows = (M + MR - 1) / MR;
    const int64_t blocks = pieces_for((M + MC - 1) / MC, tile_rows, M * N * g.K);
    if (blocks == 1) return column_strip(g, M, 0, N);  // too little work to share: no pool jobs at all
    thread_local Buffer b_buffer;  // the calling thread's: every thread packs into it, then reads it
    float* b_packed = b_buffer.get(static_cast<size_t>(KC * NC));
    const int64_t slice = k_slice(g.K);
    for (int64_t jc = 0; jc < N; jc += NC) {
        const int64_t nc = std::min(NC, N - jc);
        for (int64_t pc = 0; pc < g.K; pc += slice) {
            const int64_t kc = std::min(slice, g.K - pc);
            parallel_for_each((nc + NR - 1) / NR, [&](int64_t p) {  // panel p of the block
                gemm_pack_b(g.trans_b, g.B, g.ldb, pc, kc, jc + p * NR, std::min(NR, nc - p * NR),
                            b_packed + p * NR * kc);
            });
            parallel_for_each(blocks, [&](int64_t b) {
                macro_kernel(g, piece_start(b, blocks, tile_rows, MR, M), piece_start(b + 1, blocks, tile_rows, MR, M),
                             jc, nc, pc, kc, b_packed);
            });
        }
    }
}

// Small problems, and a single row of C: C_ij = alpha * sum_k op(A)_ik op(B)_kj + beta * C_ij, straight
// from the definition, on one thread. With B not transposed the j loop is innermost: it runs along rows of
// B and C and is vectorised; with B transposed each C_ij is a dot product of two rows.
void small_gemm(const GemmArgs& g, int64_t M, int64_t N) {
    const int64_t a_row = g.trans_a ? 1 : g.lda, a_col = g.trans_a ? g.lda : 1;  // op(A)_ik = A[i a_row + k a_col]
    for (int64_t i = 0; i < M; ++i) {
        const float* a = g.A + i * a_row;
        float* c = g.C + i * g.ldc;
        if (!g.trans_b) {
            for (int64_t j = 0; j < N; ++j) c[j] = g.beta == 0.0f ? 0.0f : g.beta * c[j];
            for (int64_t k = 0; k < g.K; ++k) {
                const float alpha_a = g.alpha * a[k * a_col];
                const float* b = g.B + k * g.ldb;
                for (int64_t j = 0; j < N; ++j) c[j] += alpha_a * b[j];
            }
        } else {
            for (int64_t j = 0; j < N; ++j) {
                const float* b = g.B + j * g.ldb;
                float s = 0.0f;
                for (int64_t k = 0; k < g.K; ++k) s += a[k * a_col] * b[k];
                c[j] = g.alpha * s + (g.beta == 0.0f ? 0.0f : g.beta * c[j]);
            }
        }
    }
}

// Narrow C: tiles are NR = 32 columns wide, so a C with N = 9 columns would be computed as 32 (3.6x the
// work). Its transpose is narrow in rows instead, which tiles do not pad (a short tile runs a kernel for
// fewer rows):  C^T = op(B)^T op(A)^T  (N x M), computed into T, then C = alpha T^T + beta C.
// Worth it when the padded work of C^T is well below that of C (the factor 1.5 keeps near ties away).
bool narrow_c(int64_t M, int64_t N) {
    const auto padded = [](int64_t n) { return (n + NR - 1) / NR * NR; };
    return 2 * M * padded(N) > 3 * N * padded(M);
}

void transposed_gemm(const GemmArgs& g, int64_t M, int64_t N) {
    thread_local Buffer t_buffer;
    float* T = t_buffer.get(static_cast<size_t>(N * M));
    // op(B)^T is B read the other way (trans_b flipped), op(A)^T likewise: T (N x M) = op(B)^T op(A)^T.
    gemm(!g.trans_b, !g.trans_a, N, M, g.K, 1.0f, g.B, g.ldb, g.A, g.lda, 0.0f, T, M);
    for (int64_t i = 0; i < M; ++i)
        for (int64_t j = 0; j < N; ++j) {
            float& c = g.C[i * g.ldc + j];
            c = g.alpha * T[j * M + i] + (g.beta == 0.0f ? 0.0f : g.beta * c);
        }
}

// C = beta * C: what is left of the product when K = 0 or alpha = 0.
void scale_c(float* C, int64_t ldc, int64_t M, int64_t N, float beta) {
    for (int64_t i = 0; i < M; ++i)
        for (int64_t j = 0; j < N; ++j) C[i * ldc + j] = beta == 0.0f ? 0.0f : beta * C[i * ldc + j];
}

void check_arguments(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, const float* A, int64_t lda,
                     const float* B, int64_t ldb, const float* C, int64_t ldc) {
    check(M >= 0 && N >= 0 && K >= 0, "gemm: sizes must be >= 0, got M = ", M, ", N = ", N, ", K = ", K);
    const int64_t a_cols = trans_a ? M : K, b_cols = trans_b ? K : N;
    check(lda >= std::max<int64_t>(1, a_cols), "gemm: lda = ", lda, " is smaller than the ", a_cols,
          " columns of A as stored (", trans_a ? "K x M = " : "M x K = ", trans_a ? K : M, " x ", a_cols, ")");
    check(ldb >= std::max<int64_t>(1, b_cols), "gemm: ldb = ", ldb, " is smaller than the ", b_cols,
          " columns of B as stored (", trans_b ? "N x K = " : "K x N = ", trans_b ? N : K, " x ", b_cols, ")");
    check(ldc >= std::max<int64_t>(1, N), "gemm: ldc = ", ldc, " is smaller than the ", N, " columns of C (M x N = ",
          M, " x ", N, ")");
    check(M * N == 0 || C != nullptr, "gemm: C is null for a ", M, " x ", N, " result");
    check(M * N * K == 0 || (A != nullptr && B != nullptr), "gemm: A or B is null for M x N x K = ", M, " x ", N,
          " x ", K);
}

}  // namespace

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
          const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
    check_arguments(trans_a, trans_b, M, N, K, A, lda, B, ldb, C, ldc);
    if (M == 0 || N == 0) return;
    if (K == 0 || alpha == 0.0f) return scale_c(C, ldc, M, N, beta);
    const GemmArgs g{trans_a, trans_b, K, alpha, A, lda, B, ldb, beta, C, ldc};
    // One row of C times B as stored: each value of B is used once, so streaming B's rows beats packing them.
    if (M * N * K <= kSmallMacs || (M == 1 && !trans_b)) return small_gemm(g, M, N);
    if (narrow_c(M, N)) return transposed_gemm(g, M, N);

    // Threads: row blocks or column strips, whichever cuts C into more pieces (see "Threads" above).
    const int64_t row_blocks_of_c = (M + MC - 1) / MC, column_blocks = (N + NC - 1) / NC;
    if (row_blocks_of_c > column_blocks) return row_blocks(g, M, N);
    const int64_t tile_columns = (N + NR - 1) / NR;
    const int64_t strips = pieces_for(column_blocks, tile_columns, M * N * K);
    parallel_for_each(strips, [&](int64_t p) {
        column_strip(g, M, piece_start(p, strips, tile_columns, NR, N),
                     piece_start(p + 1, strips, tile_columns, NR, N));
    });
}

}  // namespace convlab
