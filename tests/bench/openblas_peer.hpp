// tests/bench/openblas_peer.hpp
//
// OpenBLAS's cblas_sgemm as the peer of convlab's gemm, loaded at run time (dlopen "libopenblas.so.0", from
// libopenblas-dev): never a build dependency, skipped with a note when absent.
//
// OpenBLAS picks its kernels for the CPU it detects when it loads, and a stray OPENBLAS_CORETYPE or
// OPENBLAS_L2_SIZE in the environment makes it pick worse ones, so both are unset first. Older releases
// do not know newer CPUs: OpenBLAS 0.3.21 takes this machine's Xeon (family 6, model 207) for a "Prescott"
// and runs SSE3 kernels at a tenth of the speed. The library is therefore asked first, in a child process,
// which core it detected; when that is a core without AVX-512 on a CPU that has it, OPENBLAS_CORETYPE is
// set to SkylakeX (its AVX-512 sgemm kernel) before loading it here, and the note says so.
#pragma once

#include <dlfcn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace bench {

class OpenBlas {
public:
    OpenBlas() {
        unsetenv("OPENBLAS_CORETYPE");
        unsetenv("OPENBLAS_L2_SIZE");
        const std::string detected = detected_core();
        if (detected.empty()) {
            note_ = "OpenBLAS: libopenblas.so.0 not found (apt-get install libopenblas-dev): sgemm peer skipped";
            return;
        }
        note_ = "OpenBLAS " + detected;
        if (__builtin_cpu_supports("avx512f") && !has_avx512_kernels(detected)) {
            setenv("OPENBLAS_CORETYPE", "SkylakeX", 1);
            note_ = "OpenBLAS detects this CPU as " + detected +
                    " (no AVX-512 kernels); run with OPENBLAS_CORETYPE=SkylakeX, its AVX-512 kernels";
        }
        handle_ = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
        if (handle_ == nullptr) return;
        sgemm_ = reinterpret_cast<Sgemm>(dlsym(handle_, "cblas_sgemm"));
        set_threads_ = reinterpret_cast<SetThreads>(dlsym(handle_, "openblas_set_num_threads"));
        if (sgemm_ == nullptr || set_threads_ == nullptr) {
            note_ = "OpenBLAS: libopenblas.so.0 has no cblas_sgemm: sgemm peer skipped";
            sgemm_ = nullptr;
        }
        if (const char* (*core)() = reinterpret_cast<const char* (*)()>(dlsym(handle_, "openblas_get_corename")))
            note_ += std::string(" (running core: ") + core() + ")";
    }

    bool available() const { return sgemm_ != nullptr; }
    const std::string& note() const { return note_; }
    void set_threads(int n) const { set_threads_(n); }

    // Row-major C = alpha op(A) op(B) + beta C, as convlab::gemm.
    void sgemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
               const float* B, int64_t ldb, float beta, float* C, int64_t ldc) const {
        constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;
        sgemm_(kRowMajor, trans_a ? kTrans : kNoTrans, trans_b ? kTrans : kNoTrans, int(M), int(N), int(K), alpha, A,
               int(lda), B, int(ldb), beta, C, int(ldc));
    }

private:
    using Sgemm = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int, float, float*,
                           int);
    using SetThreads = void (*)(int);

    static bool has_avx512_kernels(const std::string& core) {
        for (const char* name : {"SkylakeX", "Cooperlake", "SapphireRapids", "Zen4"})
            if (core == name) return true;
        return false;
    }

    // The core OpenBLAS detects, asked in a child process so that this process loads it only once, with the
    // settings chosen here. "" when the library cannot be loaded.
    static std::string detected_core() {
        int fds[2];
        if (pipe(fds) != 0) return "";
        const pid_t child = fork();
        if (child == 0) {
            close(fds[0]);
            void* h = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
            const auto core = h ? reinterpret_cast<const char* (*)()>(dlsym(h, "openblas_get_corename")) : nullptr;
            const std::string name = h ? (core ? core() : "unknown") : "";
            if (write(fds[1], name.data(), name.size()) < 0) _exit(1);
            _exit(0);
        }
        close(fds[1]);
        std::string name;
        char buffer[256];
        for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) name.append(buffer, size_t(n));
        close(fds[0]);
        if (child > 0) waitpid(child, nullptr, 0);
        return name;
    }

    void* handle_ = nullptr;
    Sgemm sgemm_ = nullptr;
    SetThreads set_threads_ = nullptr;
    std::string note_;
};

}  // namespace bench
