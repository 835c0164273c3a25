// src/core/autograd.cpp
#include "core/autograd.hpp"

#include <unordered_map>
#include <unordered_set>

#include "core/error.hpp"
#include "ops/elementwise.hpp"

namespace convlab {
namespace {
thread_local bool t_grad_enabled = true;
}

bool grad_enabled() { return t_grad_enabled; }
NoGradGuard::NoGradGuard() : previous_(t_grad_enabled) { t_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { t_grad_enabled = previous_; }

bool needs_grad(const std::vector<Tensor>& inputs) {
    if (!t_grad_enabled) return false;
    for (const Tensor& t : inputs)
        if (t.defined() && t.requires_grad()) return true;
    return false;
}

Tensor record(Tensor out, const char* name, std::vector<Tensor> inputs, BackwardFn backward) {
    if (!needs_grad(inputs)) return out;
    auto node = std::make_shared<Node>();
    node->name = name;
    node->inputs = std::move(inputs);
    node->backward = std::move(backward);
    out.impl()->grad_fn = std::move(node);
    out.impl()->requires_grad = true;
    return out;
}

void run_backward(const Tensor& root, const Tensor& dY) {
    check(root.requires_grad(), "backward: the tensor does not require grad (no input was marked with ",
          "requires_grad_(), or it was computed under NoGradGuard)");
    check(dY.shape() == root.shape(), "backward: upstream gradient of shape ", dY.shape_str(),
          " for a result of shape ", root.shape_str());

    // Reverse topological order of the op results reachable from root (iterative depth-first search).
    std::vector<TensorImpl*> order;
    std::unordered_set<TensorImpl*> seen;
    std::vector<std::pair<TensorImpl*, size_t>> stack;
    if (root.grad_fn()) stack.push_back({root.impl(), 0}), seen.insert(root.impl());
    while (!stack.empty()) {
        auto& [t, next] = stack.back();
        const auto& inputs = t->grad_fn->inputs;
        if (next < inputs.size()) {
            TensorImpl* in = inputs[next++].impl();
            if (in != nullptr && in->grad_fn && seen.insert(in).second) stack.push_back({in, 0});
        } else {
            order.push_back(t);
            stack.pop_back();
        }
    }

    NoGradGuard no_grad;  // backward functions compute with plain tensors
    std::unordered_map<TensorImpl*, Tensor> grads;  // gradient of each op result, summed over its uses
    auto accumulate = [&](const Tensor& input, const Tensor& dX, const Node& node) {
        check(dX.shape() == input.shape(), "backward of ", node.name, ": gradient of shape ", dX.shape_str(),
              " for an input of shape ", input.shape_str());
        TensorImpl* in = input.impl();
        if (in->grad_fn) {
            Tensor& g = grads[in];
            g = g.defined() ? add(g, dX) : dX;
        } else if (in->requires_grad) {  // a leaf: keep its own copy, never an alias of another tensor
            in->grad = (in->grad ? add(Tensor(in->grad), dX) : dX.clone()).impl_ptr();
        }
    };

    if (root.grad_fn())
        grads[root.impl()] = dY;
    else
        accumulate(root, dY, Node{"backward", {}, nullptr});

    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        TensorImpl* t = *it;
        auto found = grads.find(t);
        if (found == grads.end()) continue;
        const Tensor dOut = found->second;
        grads.erase(found);  // free it as soon as it has been used
        const Node& node = *t->grad_fn;
        const std::vector<Tensor> dInputs = node.backward(dOut);
        check(dInputs.size() == node.inputs.size(), "backward of ", node.name, ": returned ", dInputs.size(),
              " gradients for ", node.inputs.size(), " inputs");
        for (size_t i = 0; i < dInputs.size(); ++i) {
            const Tensor& input = node.inputs[i];
            if (dInputs[i].defined() && input.defined() && input.requires_grad())
                accumulate(input, dInputs[i], node);
        }
    }
}

}  // namespace convlab
