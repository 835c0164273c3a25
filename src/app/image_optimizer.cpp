// src/app/image_optimizer.cpp
#include "app/image_optimizer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <numeric>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "io/image.hpp"
#include "io/progress.hpp"
#include "ops/elementwise.hpp"
#include "optim/adam.hpp"
#include "optim/lbfgs.hpp"

namespace convlab {
namespace {

constexpr int kLbfgsHistory = 50;  // pairs (s, y) kept: more curvature memory, 2 x 50 images of floats

}  // namespace

Tensor optimize_image(const CostStep& step, const Tensor& G0, const OptimizeOptions& options) {
    check(G0.ndim() == 4 && G0.dim(0) == 1 && G0.dim(1) == 3, "optimize_image: expected G0 (1, 3, H, W), got ",
          G0.shape_str());
    check(options.optimizer == "lbfgs" || options.optimizer == "adam", "optimize_image: optimizer must be lbfgs or ",
          "adam, got ", options.optimizer);
    Tensor G = G0.detach().clone().requires_grad_();
    StyleCosts first, last;
    const auto closure = [&]() {
        last = step(G);
        if (!first.J.defined()) first = last;
        return last.J;
    };
    // L-BFGS minimises J(G) / J(G0), the same minimum on a scale of 1: its first trial step (1 along the
    // gradient, capped) then moves G visibly whatever the network's scale. On J itself, with random VGG-19
    // weights (J ~ 1e-5) at 256 px, float32 saw no change from that step and L-BFGS stood still.
    const auto scaled_closure = [&]() {
        closure();
        const float scale = 1.0f / std::max(first.J.item(), std::numeric_limits<float>::min());
        float* dG = G.grad().data();
        for (int64_t i = 0; i < G.numel(); ++i) dG[i] *= scale;
        return last.J * scale;
    };
    check(options.report_every >= 1, "optimize_image: report_every must be >= 1, got ", options.report_every);
    // L-BFGS: report_every iterations per step() call (the history carries over from call to call). No
    // tolerances: J's scale depends on the network and the weights, and the user asked for `iterations`.
    std::unique_ptr<optim::LBFGS> lbfgs;
    std::unique_ptr<optim::Adam> adam;
    if (options.optimizer == "lbfgs")
        lbfgs = std::make_unique<optim::LBFGS>(std::vector<Tensor>{G}, 1.0f, kLbfgsHistory, options.report_every,
                                               /*tolerance_grad=*/0.0f, /*tolerance_change=*/0.0f);
    else
        adam = std::make_unique<optim::Adam>(std::vector<Tensor>{G}, options.learning_rate);
    for (int done = 0; done < options.iterations;) {
        const int chunk = std::min(options.report_every, options.iterations - done);
        const auto start = std::chrono::steady_clock::now();
        if (lbfgs) {
            if (chunk < options.report_every)  // the last, shorter chunk
                lbfgs = std::make_unique<optim::LBFGS>(std::vector<Tensor>{G}, 1.0f, kLbfgsHistory, chunk, 0.0f, 0.0f);
            lbfgs->step(scaled_closure);
        } else {
            for (int i = 0; i < chunk; ++i) {
                closure();
                adam->step();
                NoGradGuard no_grad;  // Adam's steps may leave [0, 1]; pixels are kept in range as they go
                G.copy_(clamp(G, 0.0f, 1.0f));
            }
        }
        done += chunk;
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        check(std::isfinite(last.J.item()), "optimize_image: J became ", last.J.item(), " by iteration ", done,
              " (try a smaller learning rate or style weight)");
        if (options.after_iteration) {
            NoGradGuard no_grad;
            if (done == chunk) options.after_iteration(0, clamp(G0, 0.0f, 1.0f), first, 0.0);  // the start
            options.after_iteration(done, clamp(G.detach(), 0.0f, 1.0f), last, seconds / chunk);
        }
    }
    NoGradGuard no_grad;
    return clamp(G.detach(), 0.0f, 1.0f);
}

RunReport run_and_report(const CostStep& step, const Tensor& G0, const OptimizeOptions& options, int print_every,
                         int save_every, const std::string& out_dir, const std::string& prefix) {
    app::ensure_dir(out_dir);
    RunReport report;
    OptimizeOptions run = options;
    run.report_every = std::gcd(std::max(print_every, 0), std::max(save_every, 0));
    if (run.report_every == 0) run.report_every = options.iterations;
    int previous = 0;
    std::unique_ptr<Progress> progress;
    if (print_every > 0) progress = std::make_unique<Progress>("iter", options.iterations, print_every);
    run.after_iteration = [&](int it, const Tensor& G, const StyleCosts& costs, double seconds_per_iteration) {
        report.seconds += seconds_per_iteration * (it - previous);
        previous = it;
        if (it == 0) report.J_first = costs.J.item();
        report.last = costs;
        report.J_curve.push_back({it, costs.J.item(), costs.J_content.item(), costs.J_style.item()});
        char line[160];
        std::snprintf(line, sizeof(line), "J %.4e  J_content %.4e  J_style %.4e", costs.J.item(),
                      costs.J_content.item(), costs.J_style.item());
        if (progress && it == 0) std::printf("iter  0/%d  %s  (G0)\n", options.iterations, line);
        if (progress && it > 0) progress->update(it, line);
        if (save_every > 0 && it > 0 && (it % save_every == 0 || it == options.iterations)) {
            char name[64];
            std::snprintf(name, sizeof(name), "%s_%04d.png", prefix.c_str(), it);
            save_png(out_dir + "/" + name, G[0]);
            report.frames.push_back({it, G[0].clone()});
        }
        std::fflush(stdout);
    };
    report.G = optimize_image(step, G0, run)[0];
    if (progress) progress->done();
    report.seconds_per_iteration = report.seconds / options.iterations;
    return report;
}

void put_metrics(const RunReport& report, const std::string& key_prefix, app::Metrics& metrics) {
    metrics.set(key_prefix + "J_first", report.J_first);
    metrics.set(key_prefix + "J_final", report.last.J.item());
    metrics.set(key_prefix + "J_content_final", report.last.J_content.item());
    metrics.set(key_prefix + "J_style_final", report.last.J_style.item());
    metrics.set(key_prefix + "seconds_per_iteration", report.seconds_per_iteration);
    metrics.set(key_prefix + "seconds_total", report.seconds);
}

}  // namespace convlab
