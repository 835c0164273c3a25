// chapters/10_conv1d_ecg/classifier.cpp
#include "chapters/10_conv1d_ecg/classifier.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <numeric>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "nn/loss.hpp"
#include "ops/reduce.hpp"
#include "optim/adam.hpp"
#include "optim/schedule.hpp"

namespace convlab {

Tensor take_examples(const Tensor& X, const std::vector<int64_t>& index) {
    const Tensor dense = X.contiguous();
    const int64_t per = X.numel() / std::max<int64_t>(X.dim(0), 1);
    Shape shape = X.shape();
    shape[0] = static_cast<int64_t>(index.size());
    Tensor out = Tensor::empty(shape);
    for (size_t k = 0; k < index.size(); ++k) {
        check(index[k] >= 0 && index[k] < X.dim(0), "take_examples: index ", index[k], " outside 0..", X.dim(0) - 1);
        std::memcpy(out.data() + k * per, dense.data() + index[k] * per, sizeof(float) * per);
    }
    return out;
}

void fit_classifier(nn::Module& model, const Tensor& X, const std::vector<int>& y, const FitOptions& options, Rng& rng,
                    const EpochFn& on_epoch) {
    const int64_t N = X.dim(0);
    check(static_cast<int64_t>(y.size()) == N && N > 0, "fit_classifier: expected ", N, " labels for X ", X.shape_str(),
          ", got ", y.size());
    check(options.epochs >= 1 && options.batch_size >= 1, "fit_classifier: expected epochs and batch_size >= 1");
    optim::Adam adam(model.parameters(), options.lr, 0.9f, 0.999f, 1e-8f, options.weight_decay, /*decoupled=*/true);
    optim::CosineLR schedule(adam, options.epochs);
    const optim::TrainingCheckpoint& ckpt = options.checkpoint;
    // The example order: each epoch shuffles the previous one, so it is state a checkpoint must carry.
    std::vector<int64_t> order(static_cast<size_t>(N));
    std::iota(order.begin(), order.end(), 0);
    Tensor order_state = Tensor::empty({N});  // the order as floats (exact below 2^24 examples)
    auto keep_order = [&] {
        for (int64_t i = 0; i < N; ++i) order_state.data()[i] = static_cast<float>(order[i]);
        return NamedTensors{{"order", order_state}};
    };
    int64_t done = 0;  // epochs already trained
    if (options.resume) {
        done = ckpt.load(model.state(), adam, rng, keep_order());
        for (int64_t i = 0; i < N; ++i) order[i] = static_cast<int64_t>(order_state.data()[i]);
        schedule.set_epoch(done);
        std::printf("resumed from %s after epoch %ld\n", ckpt.path.c_str(), static_cast<long>(done));
    }
    if (!ckpt.path.empty()) optim::install_interrupt_handler();
    model.train();
    for (int64_t epoch = done + 1; epoch <= options.epochs; ++epoch) {
        for (int64_t i = N - 1; i > 0; --i) std::swap(order[i], order[rng.randint(i + 1)]);  // Fisher-Yates
        double J_sum = 0.0;
        int64_t right = 0;
        for (int64_t lo = 0; lo < N; lo += options.batch_size) {
            const std::vector<int64_t> index(order.begin() + lo, order.begin() + std::min(N, lo + options.batch_size));
            std::vector<int> labels;
            for (const int64_t i : index) labels.push_back(y[i]);
            Tensor batch = take_examples(X, index);
            if (options.augment) batch = options.augment(batch, rng);
            adam.zero_grad();
            const Tensor logits = model(batch);
            const Tensor J = softmax_cross_entropy(logits, labels);
            J.backward();
            optim::check_finite((epoch - 1) * ((N + options.batch_size - 1) / options.batch_size) + lo / options.batch_size,
                              J, model.named_parameters());
            adam.step();
            J_sum += J.item() * static_cast<double>(index.size());
            const std::vector<float> predicted = argmax(logits.detach(), 1).values();
            for (size_t k = 0; k < labels.size(); ++k) right += static_cast<int>(predicted[k]) == labels[k];
        }
        schedule.step();
        if (!ckpt.path.empty()) ckpt.maybe_save(epoch, model.state(), adam, rng, keep_order());
        check(!optim::interrupt_requested(), "interrupted after epoch ", epoch,
              ckpt.path.empty() ? std::string(" (no checkpoint set)")
                                : "; saved " + ckpt.path + ": run again with --resume to continue");
        if (on_epoch) on_epoch(epoch, J_sum / static_cast<double>(N), static_cast<double>(right) / static_cast<double>(N));
    }
    model.eval();
}

std::vector<int> predict_classes(nn::Module& model, const Tensor& X, int64_t batch_size) {
    const bool was_training = model.training();
    model.eval();
    NoGradGuard no_grad;
    std::vector<int> out;
    for (int64_t lo = 0; lo < X.dim(0); lo += batch_size) {
        const Tensor logits = model(X.slice(0, lo, std::min(X.dim(0), lo + batch_size)));
        for (const float k : argmax(logits, 1).values()) out.push_back(static_cast<int>(k));
    }
    model.train(was_training);
    return out;
}

}  // namespace convlab
