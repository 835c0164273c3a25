// tests/kernels/test_gemm.cpp: the blocked, packed, threaded gemm against the three-loop definition
// (gemm_naive), for every transpose combination: sizes that leave partial tiles, blocks and K slices, the
// small path, a narrow C (computed as its transpose), both ways of sharing C between threads (row blocks
// sharing each packed block of op(B); column strips), padded leading dimensions, alpha and beta; the
// micro-kernel for every row count; the same bits for 1 and 2 threads; bad arguments.
#include <cmath>
#include <cstring>
#include <limits>

#include "kernels/gemm.hpp"
#include "kernels/gemm_micro_kernel.hpp"
#include "tests/support/check.hpp"

using namespace convlab;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// A problem with its matrices stored as the caller of gemm stores them: A is M x K (K x M when transposed),
// B is K x N (N x K), C is M x N, each row followed by `pad` extra floats that hold NaN and must be neither
// read into the result nor written.
struct Problem {
    bool trans_a, trans_b;
    int64_t M, N, K, pad;
    float alpha, beta;
    int64_t lda, ldb, ldc;
    std::vector<float> A, B, C;

    Problem(bool ta, bool tb, int64_t m, int64_t n, int64_t k, int64_t pad_ = 0, float alpha_ = 1.0f,
            float beta_ = 0.0f, uint64_t seed = 1)
        : trans_a(ta), trans_b(tb), M(m), N(n), K(k), pad(pad_), alpha(alpha_), beta(beta_) {
        lda = (ta ? M : K) + pad;
        ldb = (tb ? K : N) + pad;
        ldc = N + pad;
        Rng rng(seed);
        A = stored(ta ? K : M, ta ? M : K, lda, rng);
        B = stored(tb ? N : K, tb ? K : N, ldb, rng);
        C = stored(M, N, ldc, rng);
    }

    static std::vector<float> stored(int64_t rows, int64_t cols, int64_t ld, Rng& rng) {
        std::vector<float> m(static_cast<size_t>(std::max<int64_t>(1, rows * ld)), kNaN);
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t c = 0; c < cols; ++c) m[r * ld + c] = rng.uniform(-1.0f, 1.0f);
        return m;
    }

    using Gemm = void (*)(bool, bool, int64_t, int64_t, int64_t, float, const float*, int64_t, const float*, int64_t,
                          float, float*, int64_t);
    std::vector<float> run(Gemm f) const {
        std::vector<float> c = C;
        f(trans_a, trans_b, M, N, K, alpha, A.data(), lda, B.data(), ldb, beta, c.data(), ldc);
        return c;
    }
};

std::string describe(const Problem& p) {
    std::ostringstream s;
    s << (p.trans_a ? "T" : "N") << (p.trans_b ? "T" : "N") << " M=" << p.M << " N=" << p.N << " K=" << p.K
      << " pad=" << p.pad << " alpha=" << p.alpha << " beta=" << p.beta;
    return s.str();
}

// gemm against gemm_naive: every element of the M x N result within 1e-4 relative (NaN counts as a
// failure), and every padding float of C still NaN.
void check_against_naive(const Problem& p) {
    const std::vector<float> fast = p.run(gemm), slow = p.run(gemm_naive);
    double worst = 0.0;
    int64_t bad_padding = 0;
    for (int64_t i = 0; i < p.M; ++i) {
        for (int64_t j = 0; j < p.ldc; ++j) {
            const float f = fast[i * p.ldc + j], s = slow[i * p.ldc + j];
            if (j >= p.N) {
                bad_padding += !std::isnan(f);
                continue;
            }
            const double err = std::fabs(double(f) - s) / std::max(1.0, std::fabs(double(s)));
            worst = std::isfinite(f) && std::isfinite(s) ? std::max(worst, err) : 1e30;
        }
    }
    CHECK_MESSAGE(worst <= 1e-4, describe(p) << ": max relative error " << worst);
    CHECK_MESSAGE(bad_padding == 0, describe(p) << ": wrote " << bad_padding << " floats past the end of C's rows");
}

constexpr bool kTransposes[4][2] = {{false, false}, {false, true}, {true, false}, {true, true}};

using convlab::testing::error_of;

}  // namespace

TEST_CASE("gemm: hand-computed 2x3 times 3x2, every transpose" * doctest::test_suite("kernels.gemm")) {
    // op(A) = [[1 2 3]      op(B) = [[1 0]      op(A) op(B) = [[1+0+15  0+2+18]    = [[16 20]
    //          [4 5 6]]              [0 1]                     [4+0+30  0+5+36]]      [34 41]]
    //                                [5 6]]
    // C = 2 * op(A) op(B) + 0.5 * [[2 2] [2 2]] = [[33 41] [69 83]]
    const std::vector<float> A = {1, 2, 3, 4, 5, 6}, At = {1, 4, 2, 5, 3, 6};
    const std::vector<float> B = {1, 0, 0, 1, 5, 6}, Bt = {1, 0, 5, 0, 1, 6};
    for (const auto& t : kTransposes) {
        std::vector<float> C(4, 2.0f);
        gemm(t[0], t[1], 2, 2, 3, 2.0f, t[0] ? At.data() : A.data(), t[0] ? 2 : 3, t[1] ? Bt.data() : B.data(),
             t[1] ? 3 : 2, 0.5f, C.data(), 2);
        CHECK(C == std::vector<float>{33, 41, 69, 83});
    }
}

TEST_CASE("gemm: same as gemm_naive for odd sizes and every transpose" * doctest::test_suite("kernels.gemm")) {
    // 1, 7, 13: below one MR x NR tile (and the small path); 31, 33, 65: a partial tile after whole ones;
    // 129, 257: partial MC blocks; K = 512, 513, 1100: two and three K slices.
    const int64_t shapes[][3] = {{1, 1, 1},    {7, 13, 1},    {1, 257, 33},  {257, 1, 65},   {13, 7, 31},
                                 {31, 33, 65}, {33, 65, 129}, {65, 31, 257}, {129, 257, 7},  {257, 129, 513},
                                 {15, 64, 256}, {14, 32, 512}, {20, 40, 1100}};
    for (const auto& t : kTransposes)
        for (const auto& s : shapes) check_against_naive(Problem(t[0], t[1], s[0], s[1], s[2]));
}

TEST_CASE("gemm: a wide C spans several NC column blocks" * doctest::test_suite("kernels.gemm")) {
    for (const auto& t : kTransposes) check_against_naive(Problem(t[0], t[1], 7, 4200, 40));
}

TEST_CASE("gemm: row blocks share each packed block of op(B)" * doctest::test_suite("kernels.gemm")) {
    // 3 row blocks of C against 2 NC column blocks (the second one partial), K in 2 slices.
    for (const auto& t : kTransposes) check_against_naive(Problem(t[0], t[1], 340, 1030, 400));
}

TEST_CASE("gemm: a narrow C is computed as its transpose" * doctest::test_suite("kernels.gemm")) {
    for (const auto& t : kTransposes) {
        check_against_naive(Problem(t[0], t[1], 40, 9, 300));
        check_against_naive(Problem(t[0], t[1], 257, 1, 65, /*pad=*/2));
        check_against_naive(Problem(t[0], t[1], 100, 3, 50, /*pad=*/1, /*alpha=*/0.5f, /*beta=*/-1.5f));
        Problem p(t[0], t[1], 60, 5, 70, /*pad=*/1, /*alpha=*/2.0f, /*beta=*/0.0f);
        for (int64_t i = 0; i < p.M; ++i) std::fill(p.C.begin() + i * p.ldc, p.C.begin() + i * p.ldc + p.N, kNaN);
        check_against_naive(p);
    }
}

TEST_CASE("gemm: leading dimensions larger than the rows" * doctest::test_suite("kernels.gemm")) {
    for (const auto& t : kTransposes) {
        check_against_naive(Problem(t[0], t[1], 5, 6, 7, /*pad=*/3));               // small path
        check_against_naive(Problem(t[0], t[1], 1, 70, 90, /*pad=*/3));             // one row of C
        check_against_naive(Problem(t[0], t[1], 45, 70, 300, /*pad=*/5));           // blocked, partial tiles
        check_against_naive(Problem(t[0], t[1], 200, 40, 90, /*pad=*/16));         // row blocks
    }
}

TEST_CASE("gemm: alpha and beta, and beta = 0 ignores NaN in C" * doctest::test_suite("kernels.gemm")) {
    for (const auto& t : kTransposes) {
        for (const auto& [size, K] : {std::pair<int64_t, int64_t>{5, 60}, {70, 500}}) {  // small path; two K slices
            check_against_naive(Problem(t[0], t[1], size, size + 3, K, 1, /*alpha=*/0.5f, /*beta=*/-1.5f));
            check_against_naive(Problem(t[0], t[1], size, size + 3, K, 1, /*alpha=*/-2.0f, /*beta=*/1.0f));
            Problem p(t[0], t[1], size, size + 3, K, 1, /*alpha=*/1.0f, /*beta=*/0.0f);
            for (int64_t i = 0; i < p.M; ++i) std::fill(p.C.begin() + i * p.ldc, p.C.begin() + i * p.ldc + p.N, kNaN);
            check_against_naive(p);
        }
    }
}

TEST_CASE("gemm: K = 0 and alpha = 0 leave beta * C" * doctest::test_suite("kernels.gemm")) {
    std::vector<float> C = {1, 2, 3, 4}, C0 = {kNaN, kNaN};
    const float a = 7.0f, b = 9.0f;
    gemm(false, false, 2, 2, 0, 1.0f, &a, 1, &b, 2, 3.0f, C.data(), 2);
    CHECK(C == std::vector<float>{3, 6, 9, 12});
    gemm(false, false, 2, 2, 1, 0.0f, &a, 1, &b, 2, 0.5f, C.data(), 2);
    CHECK(C == std::vector<float>{1.5f, 3, 4.5f, 6});
    gemm(false, false, 1, 2, 0, 1.0f, nullptr, 1, nullptr, 2, 0.0f, C0.data(), 2);
    CHECK(C0 == std::vector<float>{0, 0});
    gemm(false, false, 0, 5, 3, 1.0f, nullptr, 3, nullptr, 5, 0.0f, nullptr, 5);  // nothing to do
}

TEST_CASE("gemm: bitwise identical for 1 and 2 threads" * doctest::test_suite("kernels.gemm")) {
    // Column strips (61 x 2100: 1 row block, 3 column blocks) and row blocks sharing op(B) (333 x 61;
    // 340 x 1030, 2 column blocks), each with partial tiles and two K slices; a narrow C.
    const int before = num_threads();
    for (const auto& t : kTransposes) {
        for (const Problem& p : {Problem(t[0], t[1], 61, 2100, 700, 2, 1.5f, 0.5f),
                                 Problem(t[0], t[1], 333, 61, 700, 2, 1.5f, 0.5f),
                                 Problem(t[0], t[1], 340, 1030, 400, 2, 1.5f, 0.5f),
                                 Problem(t[0], t[1], 1500, 7, 700, 2, 1.5f, 0.5f)}) {
            set_num_threads(1);
            const std::vector<float> one = p.run(gemm);
            set_num_threads(2);
            const std::vector<float> two = p.run(gemm);
            CHECK_MESSAGE(std::memcmp(one.data(), two.data(), one.size() * sizeof(float)) == 0, describe(p));
        }
    }
    set_num_threads(before);
}

TEST_CASE("gemm micro-kernel: every row count against the definition" * doctest::test_suite("kernels.gemm")) {
    // Packed panels: a[k * MR + i], b[k * NR + j]; c = 2 * a b - c, row stride NR + 1.
    constexpr int MR = kGemmMR, NR = kGemmNR;
    const int64_t kc = 9, ldc = NR + 1;
    Rng rng(5);
    std::vector<float> a(kc * MR), b(kc * NR), c0(MR * ldc);
    for (float& x : a) x = rng.uniform(-1.0f, 1.0f);
    for (float& x : b) x = rng.uniform(-1.0f, 1.0f);
    for (float& x : c0) x = rng.uniform(-1.0f, 1.0f);
    for (int rows = 1; rows <= MR; ++rows) {
        std::vector<float> c = c0;
        gemm_micro_kernel(rows, kc, a.data(), b.data(), c.data(), ldc, 2.0f, -1.0f);
        double worst = 0.0;
        for (int i = 0; i < MR; ++i)
            for (int j = 0; j < ldc; ++j) {
                double want = c0[i * ldc + j];  // rows beyond `rows`, and column NR, stay as they were
                if (i < rows && j < NR) {
                    double s = 0.0;
                    for (int64_t k = 0; k < kc; ++k) s += double(a[k * MR + i]) * b[k * NR + j];
                    want = 2.0 * s - c0[i * ldc + j];
                }
                worst = std::max(worst, std::fabs(c[i * ldc + j] - want));
            }
        CHECK_MESSAGE(worst <= 1e-5, "rows = " << rows << ": max error " << worst);
    }
}

TEST_CASE("gemm: bad arguments name the argument, the expected and the actual" *
          doctest::test_suite("kernels.gemm")) {
    std::vector<float> A(12), B(12), C(12);
    CHECK(error_of([&] { gemm(false, false, 3, 4, 4, 1, A.data(), 3, B.data(), 4, 0, C.data(), 4); }) ==
          "gemm: lda = 3 is smaller than the 4 columns of A as stored (M x K = 3 x 4)");
    CHECK(error_of([&] { gemm(false, true, 3, 4, 3, 1, A.data(), 3, B.data(), 2, 0, C.data(), 4); }) ==
          "gemm: ldb = 2 is smaller than the 3 columns of B as stored (N x K = 4 x 3)");
    CHECK(error_of([&] { gemm(false, false, 3, 4, 3, 1, A.data(), 3, B.data(), 4, 0, C.data(), 3); }) ==
          "gemm: ldc = 3 is smaller than the 4 columns of C (M x N = 3 x 4)");
    CHECK(error_of([&] { gemm(false, false, -1, 4, 3, 1, A.data(), 3, B.data(), 4, 0, C.data(), 4); }) ==
          "gemm: sizes must be >= 0, got M = -1, N = 4, K = 3");
    CHECK(error_of([&] { gemm(false, false, 3, 4, 3, 1, nullptr, 3, B.data(), 4, 0, C.data(), 4); }) ==
          "gemm: A or B is null for M x N x K = 3 x 4 x 3");
}
