// src/optim/optimizer.cpp
#include "optim/optimizer.hpp"

#include "core/error.hpp"

namespace convlab::optim {

Optimizer::Optimizer(std::vector<Tensor> params, float lr_in) : lr(lr_in), params_(std::move(params)) {
    for (size_t i = 0; i < params_.size(); ++i) {
        const Tensor& p = params_[i];
        check(p.defined() && p.requires_grad() && p.grad_fn() == nullptr && p.is_contiguous(), "optimizer: ",
              "parameter ", i, " must be a contiguous leaf tensor with requires_grad (got ",
              p.defined() ? p.shape_str() : "an undefined tensor", ")");
    }
}

Optimizer::~Optimizer() = default;

void Optimizer::zero_grad() {
    for (Tensor& p : params_) p.zero_grad();
}

Tensor Optimizer::grad_of(size_t i) const {
    const Tensor g = params_[i].grad();
    return g.defined() ? g.contiguous() : g;
}

NamedTensors Optimizer::state() const { return {}; }

void Optimizer::load_state(const std::map<std::string, Tensor>& saved) {
    const NamedTensors live = state();
    for (const auto& [name, t] : live) {  // check everything before changing anything
        const auto found = saved.find(name);
        check(found != saved.end(), "optimizer load_state: missing '", name, "'");
        check(found->second.shape() == t.shape(), "optimizer load_state: '", name, "' has shape ",
              found->second.shape_str(), ", expected ", t.shape_str());
    }
    for (auto [name, t] : live) t.copy_(saved.at(name));
}

}  // namespace convlab::optim
