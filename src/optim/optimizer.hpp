// src/optim/optimizer.hpp
//
// Optimizer: updates parameters from their gradients. Each training step is
//     opt.zero_grad();  J = loss(model(x));  J.backward();  opt.step();
// step() changes each parameter's data in place (under NoGradGuard: the update is not part of any graph).
// Parameters without a gradient this step (grad() undefined) are left alone.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.hpp"

namespace convlab {
using NamedTensors = std::vector<std::pair<std::string, Tensor>>;  // the same alias in nn/, optim/, io/checkpoint
}

namespace convlab::optim {

class Optimizer {
public:
    // params: contiguous leaf tensors that require grad (Module::parameters()).
    explicit Optimizer(std::vector<Tensor> params, float lr = 0.0f);
    virtual ~Optimizer();
    Optimizer(const Optimizer&) = delete;
    Optimizer& operator=(const Optimizer&) = delete;

    virtual void step() = 0;
    void zero_grad();  // forgets the parameters' gradients

    float lr;  // learning rate alpha; schedules (optim/schedule.hpp) change it between epochs

    // The optimiser's own state (momentum buffers, Adam's moments and step counts) under stable names
    // ("velocity.0", "m.3", ...), to save in a checkpoint beside the model. The tensors are the live
    // buffers: load_state() copies saved values into them, checking every name and shape.
    virtual NamedTensors state() const;
    virtual void load_state(const std::map<std::string, Tensor>& saved);

protected:
    const std::vector<Tensor>& params() const { return params_; }
    // The current gradient of parameter i as a dense tensor, or an undefined tensor if it has none.
    Tensor grad_of(size_t i) const;

private:
    std::vector<Tensor> params_;
};

}  // namespace convlab::optim
