// src/optim/training_checkpoint.cpp
#include "optim/training_checkpoint.hpp"

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstring>
#include <map>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "io/checkpoint.hpp"

namespace convlab::optim {
namespace {

volatile std::sig_atomic_t g_interrupts = 0;

extern "C" void on_sigint(int) {
    g_interrupts = g_interrupts + 1;
    if (g_interrupts >= 2) {
        std::signal(SIGINT, SIG_DFL);
        std::raise(SIGINT);
    }
}

// Integers and the RNG state travel in float32 tensors bit for bit (memcpy, never arithmetic), so the
// checkpoint format needs no second element type.
Tensor words_to_tensor(const std::vector<uint32_t>& words) {
    Tensor t = Tensor::empty({static_cast<int64_t>(words.size())});
    std::memcpy(t.data(), words.data(), words.size() * sizeof(uint32_t));
    return t;
}

std::vector<uint32_t> tensor_to_words(const Tensor& t) {
    std::vector<uint32_t> words(static_cast<size_t>(t.numel()));
    std::memcpy(words.data(), t.data(), words.size() * sizeof(uint32_t));
    return words;
}

constexpr int64_t kRngWords = 10;  // 4 x 64-bit state, has_spare, spare

Tensor rng_to_tensor(const Rng& rng) {
    const Rng::State st = rng.state();
    std::vector<uint32_t> w;
    for (uint64_t s : st.s) w.push_back(static_cast<uint32_t>(s)), w.push_back(static_cast<uint32_t>(s >> 32));
    uint32_t spare_bits;
    std::memcpy(&spare_bits, &st.spare, sizeof spare_bits);
    w.push_back(st.has_spare ? 1u : 0u);
    w.push_back(spare_bits);
    return words_to_tensor(w);
}

Rng::State tensor_to_rng(const Tensor& t) {
    const std::vector<uint32_t> w = tensor_to_words(t);
    Rng::State st{};
    for (int i = 0; i < 4; ++i) st.s[i] = uint64_t(w[2 * i]) | (uint64_t(w[2 * i + 1]) << 32);
    st.has_spare = w[8] != 0;
    std::memcpy(&st.spare, &w[9], sizeof st.spare);
    return st;
}

Tensor step_to_tensor(int64_t step) {
    const uint64_t s = static_cast<uint64_t>(step);
    return words_to_tensor({static_cast<uint32_t>(s), static_cast<uint32_t>(s >> 32)});
}

}  // namespace

void install_interrupt_handler() { std::signal(SIGINT, on_sigint); }
bool interrupt_requested() { return g_interrupts > 0; }
void clear_interrupt_request() { g_interrupts = 0; }

void TrainingCheckpoint::save(int64_t step, const NamedTensors& model_state, const Optimizer& opt,
                              const Rng& rng, const NamedTensors& extra) const {
    if (path.empty()) return;
    NamedTensors all = prefixed("model.", model_state);
    for (auto& entry : prefixed("optim.", opt.state())) all.push_back(entry);
    all.push_back({"optim.lr", Tensor::from({1}, {opt.lr})});
    all.push_back({"train.step", step_to_tensor(step)});
    all.push_back({"train.rng", rng_to_tensor(rng)});
    for (auto& entry : prefixed("train.", extra)) all.push_back(entry);
    save_checkpoint(path, all);
}

void TrainingCheckpoint::maybe_save(int64_t step, const NamedTensors& model_state, const Optimizer& opt,
                                    const Rng& rng, const NamedTensors& extra) const {
    if ((every > 0 && step % every == 0) || interrupt_requested()) save(step, model_state, opt, rng, extra);
}

int64_t TrainingCheckpoint::load(const NamedTensors& model_state, Optimizer& opt, Rng& rng,
                                 const NamedTensors& extra) const {
    check(!path.empty(), "resume: no checkpoint path given");
    NamedTensors saved = load_checkpoint(path);  // validates the whole file first
    std::map<std::string, Tensor> by_name(saved.begin(), saved.end());
    auto need = [&](const std::string& name, int64_t numel) {
        auto it = by_name.find(name);
        check(it != by_name.end(), path, ": not a training checkpoint: tensor '", name, "' is missing");
        check(it->second.numel() == numel, path, ": tensor '", name, "' has ", it->second.numel(),
              " values, expected ", numel);
        return it->second;
    };
    const Tensor step_t = need("train.step", 2), rng_t = need("train.rng", kRngWords), lr_t = need("optim.lr", 1);
    load_into(path, prefixed("model.", model_state));
    if (!extra.empty()) load_into(path, prefixed("train.", extra));
    std::map<std::string, Tensor> optim_state;
    for (const auto& [name, t] : saved)
        if (name.rfind("optim.", 0) == 0 && name != "optim.lr") optim_state[name.substr(6)] = t;
    opt.load_state(optim_state);
    opt.lr = lr_t.item();
    rng.set_state(tensor_to_rng(rng_t));
    const std::vector<uint32_t> w = tensor_to_words(step_t);
    return static_cast<int64_t>(uint64_t(w[0]) | (uint64_t(w[1]) << 32));
}

// Counts the NaN and Inf values of t.
static void count_non_finite(const Tensor& t, int64_t& nans, int64_t& infs) {
    const Tensor c = t.contiguous();
    nans = infs = 0;
    for (int64_t i = 0; i < c.numel(); ++i) {
        nans += std::isnan(c.data()[i]) ? 1 : 0;
        infs += std::isinf(c.data()[i]) ? 1 : 0;
    }
}

void check_finite(int64_t step, const Tensor& loss, const NamedTensors& parameters) {
    int64_t nans, infs;
    count_non_finite(loss, nans, infs);
    check(nans + infs == 0, "step ", step, ": the loss is ", nans ? "NaN" : "Inf",
          "; training stopped before the update (the last checkpoint is kept). Try a smaller learning rate.");
    for (const auto& [name, p] : parameters) {
        const Tensor g = p.grad();
        if (!g.defined()) continue;
        count_non_finite(g, nans, infs);
        check(nans + infs == 0, "step ", step, ": the gradient of ", name, " is not finite (", nans, " NaN, ", infs,
              " Inf of ", g.numel(), " values); training stopped before the update (the last checkpoint is kept)");
    }
}

}  // namespace convlab::optim
