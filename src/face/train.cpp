// src/face/train.cpp
#include "face/train.hpp"

#include <cstdio>
#include <memory>

#include "core/error.hpp"
#include "face/batches.hpp"
#include "io/progress.hpp"
#include "optim/adam.hpp"
#include "optim/schedule.hpp"

namespace convlab {

constexpr float kFinalLrFraction = 0.05f;  // cosine decay ends at lr / 20: small steps to settle at the end

// The NaN/Inf guard (optim::check_finite) with the face loop's position in front of its message:
// "[semi-hard] epoch 3/40, batch 2/4: step 10: the gradient of ... is not finite ...".
static void check_finite_batch(const TrainConfig& config, int epoch, size_t b, size_t n_batches, const Tensor& J,
                               const NamedTensors& params) {
    try {
        optim::check_finite(static_cast<int64_t>((epoch - 1) * n_batches + b + 1), J, params);
    } catch (const Error& e) {
        fail("[", config.label, "] epoch ", epoch, "/", config.epochs, ", batch ", b + 1, "/", n_batches, ": ",
             e.what());
    }
}

TrainHistory train_encoder(FaceEncoder& f, const NamedTensors& extra_params, const FaceDataset& train,
                           const TrainConfig& config, const BatchLoss& loss) {
    check(config.epochs >= 1, config.label, ": epochs must be >= 1, got ", config.epochs);
    // what the loop trains (named, for the guard) and what a checkpoint keeps (plus batch-norm statistics)
    NamedTensors named = config.freeze_encoder ? NamedTensors{} : f.named_parameters();
    NamedTensors model_state = config.freeze_encoder ? NamedTensors{} : f.state();
    named.insert(named.end(), extra_params.begin(), extra_params.end());
    model_state.insert(model_state.end(), extra_params.begin(), extra_params.end());
    std::vector<Tensor> params;
    for (const auto& [name, p] : named) params.push_back(p);
    optim::Adam opt(params, config.lr, 0.9f, 0.999f, 1e-8f, config.weight_decay, /*decoupled=*/true);
    optim::CosineLR schedule(opt, config.epochs, config.lr * kFinalLrFraction);
    Rng rng(config.seed);
    TrainHistory history;

    // The loss history travels in the checkpoint too, so a resumed run reports every epoch's loss.
    const optim::TrainingCheckpoint& ckpt = config.checkpoint;
    Tensor loss_state = Tensor::zeros({config.epochs});
    auto keep_history = [&] {
        for (size_t e = 0; e < history.loss.size(); ++e) loss_state.data()[e] = history.loss[e];
        return NamedTensors{{"loss", loss_state}};
    };
    int done = 0;  // epochs already trained
    if (config.resume) {
        done = static_cast<int>(ckpt.load(model_state, opt, rng, keep_history()));
        check(done >= 0 && done <= config.epochs, ckpt.path, ": saved after epoch ", done, ", expected 0..",
              config.epochs);
        history.loss.assign(loss_state.data(), loss_state.data() + done);
        schedule.set_epoch(done);
        if (config.log_every > 0)
            std::printf("  [%s] resumed from %s after epoch %d/%d\n", config.label.c_str(), ckpt.path.c_str(), done,
                        config.epochs);
    }
    if (!ckpt.path.empty()) optim::install_interrupt_handler();
    // "  [hard] epoch  12/40  30.0%  4.1 it/s  elapsed 0:03  ETA 0:07  loss 0.1234" (rate and ETA: this run's epochs)
    std::unique_ptr<Progress> progress;
    if (config.log_every > 0 && done < config.epochs) {
        progress = std::make_unique<Progress>("  [" + config.label + "] epoch", config.epochs, config.log_every);
        progress->resume_from(done);
    }

    f.train(!config.freeze_encoder);
    for (int epoch = done + 1; epoch <= config.epochs; ++epoch) {
        double sum = 0.0;
        const auto batches = pk_batches(train.labels, config.P, config.K, rng);
        for (size_t b = 0; b < batches.size(); ++b) {
            Tensor x = take_copy(train.images, batches[b]);
            if (config.augment) x = augment(x, config.augmentation, rng);
            std::vector<int> labels;
            for (int64_t i : batches[b]) labels.push_back(train.labels[i]);
            opt.zero_grad();
            const Tensor J = loss(config.freeze_encoder ? encode_all(f, x) : f(x), labels, rng);
            J.backward();
            check_finite_batch(config, epoch, b, batches.size(), J, named);
            opt.step();
            sum += J.item();
        }
        schedule.step();
        history.loss.push_back(static_cast<float>(sum / batches.size()));
        if (epoch == config.epochs)  // the finished run, so that a resumed program skips it
            ckpt.save(epoch, model_state, opt, rng, keep_history());
        else
            ckpt.maybe_save(epoch, model_state, opt, rng, keep_history());
        if (progress) {
            char loss_text[32];
            std::snprintf(loss_text, sizeof loss_text, "loss %.4f", history.loss.back());
            progress->update(epoch, loss_text);
        }
        check(!optim::interrupt_requested(), "[", config.label, "] interrupted after epoch ", epoch,
              ckpt.path.empty() ? std::string(" (no checkpoint set)")
                                : "; saved " + ckpt.path + ": run again with --resume to continue");
    }
    if (progress) progress->done();
    f.eval();
    return history;
}

}  // namespace convlab
