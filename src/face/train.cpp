// src/face/train.cpp
#include "face/train.hpp"

#include <cstdio>

#include "core/error.hpp"
#include "face/batches.hpp"
#include "optim/adam.hpp"
#include "optim/schedule.hpp"

namespace convlab {

constexpr float kFinalLrFraction = 0.05f;  // cosine decay ends at lr / 20: small steps to settle at the end

TrainHistory train_encoder(FaceEncoder& f, const std::vector<Tensor>& extra_params, const FaceDataset& train,
                           const TrainConfig& config, const BatchLoss& loss) {
    check(config.epochs >= 1, config.label, ": epochs must be >= 1, got ", config.epochs);
    std::vector<Tensor> params = config.freeze_encoder ? std::vector<Tensor>{} : f.parameters();
    params.insert(params.end(), extra_params.begin(), extra_params.end());
    optim::Adam opt(params, config.lr, 0.9f, 0.999f, 1e-8f, config.weight_decay, /*decoupled=*/true);
    optim::CosineLR schedule(opt, config.epochs, config.lr * kFinalLrFraction);
    Rng rng(config.seed);
    TrainHistory history;
    f.train(!config.freeze_encoder);
    for (int epoch = 1; epoch <= config.epochs; ++epoch) {
        double sum = 0.0;
        const auto batches = pk_batches(train.labels, config.P, config.K, rng);
        for (const std::vector<int64_t>& batch : batches) {
            Tensor x = take_copy(train.images, batch);
            if (config.augment) x = augment(x, config.augmentation, rng);
            std::vector<int> labels;
            for (int64_t i : batch) labels.push_back(train.labels[i]);
            opt.zero_grad();
            const Tensor J = loss(config.freeze_encoder ? encode_all(f, x) : f(x), labels, rng);
            J.backward();
            opt.step();
            sum += J.item();
        }
        schedule.step();
        history.loss.push_back(static_cast<float>(sum / batches.size()));
        if (config.log_every > 0 && (epoch % config.log_every == 0 || epoch == 1 || epoch == config.epochs))
            std::printf("  [%s] epoch %3d/%d  loss %.4f\n", config.label.c_str(), epoch, config.epochs,
                        history.loss.back());
        std::fflush(stdout);
    }
    f.eval();
    return history;
}

}  // namespace convlab
