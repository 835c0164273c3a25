// src/kernels/conv_tasks.cpp
#include "kernels/conv_tasks.hpp"

#include <algorithm>

#include "core/parallel.hpp"

namespace convlab {
namespace {

// Up to this many partial sums, each over a fixed run of steps, are computed side by side and then added in
// order (their number never depends on the thread count)...
constexpr int64_t kMaxPartials = 8;
// ... when they fit in this much memory together (for VGG's deep layers, where a dW alone is 9 MB, one
// sum is computed, with the kernels' own threads).
constexpr int64_t kPartialsBytes = int64_t(8) << 20;

}  // namespace

void for_each_task(int64_t tasks, int64_t buffer_floats, const std::function<void(int64_t, float*)>& task) {
    const auto run = [&](int64_t t) {
        Tensor buffer = buffer_floats > 0 ? Tensor::empty({buffer_floats}) : Tensor();
        task(t, buffer.defined() ? buffer.data() : nullptr);
    };
    if (tasks >= num_threads())
        parallel_for_each(tasks, run);
    else
        for (int64_t t = 0; t < tasks; ++t) run(t);
}

Tensor sum_of_steps(int64_t rows, int64_t cols, int64_t steps, int64_t buffer_floats,
                    const std::function<void(int64_t, float*, float, float*)>& step) {
    if (steps == 0) return Tensor::zeros({rows, cols});  // an empty batch: nothing to add up
    const int64_t size = rows * cols;
    const int64_t P =
        std::max<int64_t>(1, std::min({kMaxPartials, steps, kPartialsBytes / (size * int64_t(sizeof(float)))}));
    Tensor sum = Tensor::empty({rows, cols});
    Tensor partials = P > 1 ? Tensor::empty({P, size}) : sum;
    for_each_task(P, buffer_floats, [&](int64_t run, float* buffer) {
        const int64_t first = steps * run / P, last = steps * (run + 1) / P;
        for (int64_t t = first; t < last; ++t) step(t, buffer, t == first ? 0.0f : 1.0f, partials.data() + run * size);
    });
    if (P > 1) {
        const float* part = partials.data();
        float* out = sum.data();
        parallel_for(size, [&](int64_t i0, int64_t i1) {
            for (int64_t i = i0; i < i1; ++i) {
                float s = part[i];
                for (int64_t run = 1; run < P; ++run) s += part[run * size + i];
                out[i] = s;
            }
        }, kTaskGrain);
    }
    return sum;
}

}  // namespace convlab
