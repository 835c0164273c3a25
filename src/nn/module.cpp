// src/nn/module.cpp
#include "nn/module.hpp"

#include "core/error.hpp"

namespace convlab::nn {

Module::~Module() = default;

void Module::check_new_name(const std::string& name) const {
    check(!name.empty() && name.find('.') == std::string::npos, "Module: name '", name,
          "' must be non-empty and contain no '.' (dots join the names of nested modules)");
    auto taken = [&name](const auto& list) {
        for (const auto& entry : list)
            if (entry.first == name) return true;
        return false;
    };
    check(!taken(parameters_) && !taken(buffers_) && !taken(children_), "Module: name '", name,
          "' is already registered in this module");
}

Tensor& Module::register_parameter(std::string name, Tensor t) {
    check_new_name(name);
    check(t.defined() && t.grad_fn() == nullptr && t.is_contiguous(), "Module: parameter '", name,
          "' must be a defined, contiguous leaf tensor");
    t.requires_grad_(true);
    parameters_.emplace_back(std::move(name), std::move(t));
    return parameters_.back().second;
}

Tensor& Module::register_buffer(std::string name, Tensor t) {
    check_new_name(name);
    check(t.defined() && t.is_contiguous(), "Module: buffer '", name, "' must be a defined, contiguous tensor");
    buffers_.emplace_back(std::move(name), std::move(t));
    return buffers_.back().second;
}

void Module::add_child(std::string name, std::shared_ptr<Module> child) {
    check_new_name(name);
    check(child != nullptr, "Module: child module '", name, "' is null");
    child->train(training_);
    children_.emplace_back(std::move(name), std::move(child));
}

void Module::collect(const std::string& prefix, bool parameters, NamedTensors& out) const {
    for (const auto& [name, t] : parameters ? parameters_ : buffers_) out.emplace_back(prefix + name, t);
    for (const auto& [name, child] : children_) child->collect(prefix + name + ".", parameters, out);
}

NamedTensors Module::named_parameters() const {
    NamedTensors out;
    collect("", /*parameters=*/true, out);
    return out;
}

std::vector<Tensor> Module::parameters() const {
    std::vector<Tensor> out;
    for (const auto& entry : named_parameters()) out.push_back(entry.second);
    return out;
}

NamedTensors Module::named_buffers() const {
    NamedTensors out;
    collect("", /*parameters=*/false, out);
    return out;
}

NamedTensors Module::state() const {
    NamedTensors out = named_parameters();
    for (auto& entry : named_buffers()) out.push_back(std::move(entry));
    return out;
}

void Module::train(bool on) {
    training_ = on;
    for (auto& entry : children_) entry.second->train(on);
}

void Module::zero_grad() {
    for (Tensor& p : parameters()) p.zero_grad();
}

Sequential::Sequential(std::initializer_list<std::shared_ptr<Module>> layers) {
    for (const auto& layer : layers) add(layer);
}

Sequential& Sequential::add(std::shared_ptr<Module> layer) {
    layers_.push_back(register_module(std::to_string(layers_.size()), std::move(layer)));
    return *this;
}

Tensor Sequential::forward(const Tensor& x) {
    Tensor y = x;
    for (const auto& layer : layers_) y = layer->forward(y);
    return y;
}

const std::shared_ptr<Module>& Sequential::operator[](size_t i) const {
    check(i < layers_.size(), "Sequential: layer ", i, " out of range (", layers_.size(), " layers)");
    return layers_[i];
}

}  // namespace convlab::nn
