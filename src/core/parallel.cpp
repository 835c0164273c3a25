// src/core/parallel.cpp
//
// A fixed pool of worker threads fed one job at a time. A job is a function and a number of ranges; each
// worker (and the calling thread) takes range indices from an atomic counter until none are left.
#include "core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"

namespace convlab {
namespace {

// A thread out of work keeps looking for the next job (or for the end of the current one) this long before
// it sleeps: kernels issue jobs microseconds apart (gemm: two per K slice of a row-block product), and a
// worker woken from sleep often joins too late to take its share. Long enough to bridge such gaps, short
// enough that an idle pool soon leaves the CPU to others.
constexpr auto kSpin = std::chrono::microseconds(100);

// One step of a busy wait: tells the core it is waiting (less power, no pipeline flush when it ends).
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

thread_local bool t_inside_pool = false;  // nested parallel_for runs serially

int threads_from_environment() {
    if (const char* env = std::getenv("CONVLAB_THREADS")) {
        char* end = nullptr;
        const long n = std::strtol(env, &end, 10);
        check(end != env && *end == '\0' && n >= 1 && n <= 1024,
              "CONVLAB_THREADS: expected an integer in 1..1024, got '", env, "'");
        return static_cast<int>(n);
    }
    return std::max(1u, std::thread::hardware_concurrency());
}

class ThreadPool {
public:
    static ThreadPool& instance() {
        static ThreadPool pool;
        return pool;
    }

    int size() const { return n_threads_; }

    void resize(int n) {
        check(n >= 1 && n <= 1024, "set_num_threads: expected 1..1024 threads, got ", n);
        stop_workers();
        n_threads_ = n;
        start_workers();
    }

    // Runs fn(r) for r in [0, n_ranges) on the pool; returns when all are done.
    void run(int64_t n_ranges, const std::function<void(int64_t)>& fn) {
        std::unique_lock<std::mutex> lock(mutex_);
        job_ = &fn;
        job_ranges_ = n_ranges;
        next_range_ = 0;
        ranges_done_ = 0;
        generation_.fetch_add(1);
        lock.unlock();
        wake_.notify_all();

        work_on_job(fn, n_ranges);  // the caller works too

        // Wait for every range, and for every worker that joined this job to leave it, so no worker can
        // carry this job's function into the next one.
        const auto finished = [&] { return ranges_done_.load() == job_ranges_ && active_workers_.load() == 0; };
        spin_until(finished);
        lock.lock();
        done_.wait(lock, finished);
        job_ = nullptr;
        if (error_) {  // an exception thrown on any thread reaches the caller of parallel_for
            std::exception_ptr error = error_;
            error_ = nullptr;
            std::rethrow_exception(error);
        }
    }

    ~ThreadPool() { stop_workers(); }

private:
    ThreadPool() : n_threads_(threads_from_environment()) { start_workers(); }

    // Takes ranges until none are left.
    void work_on_job(const std::function<void(int64_t)>& fn, int64_t n_ranges) {
        const bool was_inside = t_inside_pool;
        t_inside_pool = true;
        int64_t finished = 0;
        for (int64_t r; (r = next_range_.fetch_add(1)) < n_ranges; ++finished) {
            try {
                fn(r);
            } catch (...) {  // keep the first error for the caller; the other ranges still run
                std::lock_guard<std::mutex> lock(mutex_);
                if (!error_) error_ = std::current_exception();
            }
        }
        t_inside_pool = was_inside;
        ranges_done_.fetch_add(finished);
    }

    // Checks `ready` again and again for up to kSpin, before the caller blocks.
    template <class Ready>
    static void spin_until(const Ready& ready) {
        const auto until = std::chrono::steady_clock::now() + kSpin;
        while (!ready() && std::chrono::steady_clock::now() < until) cpu_relax();
    }

    void worker_loop() {
        uint64_t seen = 0;
        for (;;) {
            spin_until([&] { return generation_.load() != seen || stopping_.load(); });
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || (job_ != nullptr && generation_.load() != seen); });
            if (stopping_) return;
            seen = generation_.load();
            const auto* fn = job_;
            const int64_t n_ranges = job_ranges_;
            ++active_workers_;
            lock.unlock();
            work_on_job(*fn, n_ranges);
            lock.lock();
            --active_workers_;
            lock.unlock();
            done_.notify_all();
        }
    }

    void start_workers() {
        stopping_ = false;
        for (int i = 1; i < n_threads_; ++i) workers_.emplace_back([this] { worker_loop(); });
    }

    void stop_workers() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        for (auto& w : workers_) w.join();
        workers_.clear();
    }

    int n_threads_;
    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_, done_;
    const std::function<void(int64_t)>* job_ = nullptr;
    int64_t job_ranges_ = 0;
    std::atomic<int64_t> next_range_{0};
    std::atomic<int64_t> ranges_done_{0};
    std::atomic<int> active_workers_{0};
    std::exception_ptr error_;
    std::atomic<uint64_t> generation_{0};
    std::atomic<bool> stopping_{false};
};

}  // namespace

int num_threads() { return ThreadPool::instance().size(); }

void set_num_threads(int n) { ThreadPool::instance().resize(n); }

void parallel_for(int64_t n, const std::function<void(int64_t lo, int64_t hi)>& fn, int64_t min_chunk) {
    if (n <= 0) return;
    const int64_t threads = t_inside_pool ? 1 : num_threads();
    const int64_t n_ranges = std::max<int64_t>(1, std::min<int64_t>(threads, n / std::max<int64_t>(1, min_chunk)));
    if (n_ranges == 1) {
        fn(0, n);
        return;
    }
    const int64_t chunk = (n + n_ranges - 1) / n_ranges;
    ThreadPool::instance().run(n_ranges, [&](int64_t r) {
        const int64_t lo = r * chunk, hi = std::min(n, lo + chunk);
        if (lo < hi) fn(lo, hi);
    });
}

void parallel_for_each(int64_t n, const std::function<void(int64_t i)>& fn) {
    if (n <= 0) return;
    if (n == 1 || t_inside_pool || num_threads() == 1) {
        for (int64_t i = 0; i < n; ++i) fn(i);
        return;
    }
    ThreadPool::instance().run(n, fn);
}

double parallel_sum(int64_t n, const std::function<double(int64_t lo, int64_t hi)>& block_sum) {
    const int64_t n_blocks = (n + kTaskGrain - 1) / kTaskGrain;
    std::vector<double> partial(static_cast<size_t>(n_blocks), 0.0);
    parallel_for(n_blocks, [&](int64_t b0, int64_t b1) {
        for (int64_t b = b0; b < b1; ++b) partial[b] = block_sum(b * kTaskGrain, std::min(n, (b + 1) * kTaskGrain));
    });
    double total = 0.0;
    for (double p : partial) total += p;
    return total;
}

}  // namespace convlab
