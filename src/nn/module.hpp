// src/nn/module.hpp
//
// Module: a layer or a network of layers, as in PyTorch's torch.nn. A module owns named parameters (the
// W and b that training updates), named buffers (state that is not trained, like BatchNorm's running
// statistics) and named child modules. Names nest with dots, "0.weight", "conv1.bias", so a whole network
// can be listed, optimised and saved to a checkpoint by name.
//
// Parameters are Tensor handles: the layer's member and the registered entry share the same data, and
// optimisers and checkpoints update that data in place.
#pragma once

#include <deque>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.hpp"

namespace convlab {
using NamedTensors = std::vector<std::pair<std::string, Tensor>>;  // the same alias in nn/, optim/, io/checkpoint
}

namespace convlab::nn {

class Module {
public:
    Module() = default;
    virtual ~Module();
    Module(const Module&) = delete;             // a copy would share parameters by accident
    Module& operator=(const Module&) = delete;

    virtual Tensor forward(const Tensor& x) = 0;
    Tensor operator()(const Tensor& x) { return forward(x); }

    NamedTensors named_parameters() const;  // this module's, then each child's with "<child>." in front
    std::vector<Tensor> parameters() const;
    NamedTensors named_buffers() const;     // same order and naming
    NamedTensors state() const;             // parameters then buffers: everything a checkpoint needs

    // Training mode (the default) vs evaluation mode: BatchNorm uses batch or running statistics,
    // Dropout drops or passes through. Applies to every descendant.
    void train(bool on = true);
    void eval() { train(false); }
    bool training() const { return training_; }

    void zero_grad();  // forgets every parameter's accumulated gradient

protected:
    // Registers a leaf tensor under `name` (no dots; unique in this module) and marks it requires_grad.
    // Returns the registered handle, which stays valid for the module's lifetime.
    Tensor& register_parameter(std::string name, Tensor t);
    Tensor& register_buffer(std::string name, Tensor t);
    template <class M>
    std::shared_ptr<M> register_module(std::string name, std::shared_ptr<M> child) {
        add_child(std::move(name), child);
        return child;
    }

private:
    void add_child(std::string name, std::shared_ptr<Module> child);
    void check_new_name(const std::string& name) const;
    void collect(const std::string& prefix, bool parameters, NamedTensors& out) const;

    std::deque<std::pair<std::string, Tensor>> parameters_, buffers_;  // deque: references stay valid
    std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
    bool training_ = true;
};

// Children applied in order, named "0", "1", ...:  y = f_n(... f_2(f_1(x))).
class Sequential : public Module {
public:
    Sequential() = default;
    Sequential(std::initializer_list<std::shared_ptr<Module>> layers);
    Sequential& add(std::shared_ptr<Module> layer);
    Tensor forward(const Tensor& x) override;
    size_t size() const { return layers_.size(); }
    const std::shared_ptr<Module>& operator[](size_t i) const;

private:
    std::vector<std::shared_ptr<Module>> layers_;
};

}  // namespace convlab::nn
