// src/core/autograd.cpp
#include "core/autograd.hpp"

#include <unordered_map>
#include <unordered_set>

#include "core/error.hpp"
#include "core/parallel.hpp"

namespace convlab {
namespace {
thread_local bool t_grad_enabled = true;
}

NoGradGuard::NoGradGuard() : previous_(t_grad_enabled) { t_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { t_grad_enabled = previous_; }

bool needs_grad(const std::vector<Tensor>& inputs) {
    if (!t_grad_enabled) return false;
    for (const Tensor& t : inputs)
        if (t.defined() && t.requires_grad()) return true;
    return false;
}

namespace {

// g += dX (same shapes). In place when nothing else holds g or its buffer (a gradient may be an alias of one
// that another op or the caller still holds: then a new sum), so adding up a 64 MB activation's gradients
// takes no third 64 MB buffer. The same bits either way.
void accumulate_into(Tensor& g, const Tensor& dX) {
    const bool in_place = g.impl_ptr().use_count() == 1 && g.impl()->storage.use_count() == 1 && g.is_contiguous();
    const Tensor a = g.contiguous(), d = dX.contiguous();
    Tensor sum = in_place ? g : Tensor::empty(g.shape());
    const float *pa = a.data(), *pd = d.data();
    float* ps = sum.data();
    parallel_for(sum.numel(), [&](int64_t lo, int64_t hi) {
        for (int64_t i = lo; i < hi; ++i) ps[i] = pa[i] + pd[i];
    }, kTaskGrain);
    g = sum;
}

Edge edge_to(const Tensor& input) {
    if (!input.defined() || !input.requires_grad()) return Edge{};
    if (input.grad_fn()) return Edge{input.grad_fn(), nullptr, input.shape()};
    return Edge{nullptr, input.impl_ptr(), input.shape()};
}

}  // namespace

Tensor record(Tensor out, const char* name, std::vector<Tensor> inputs, BackwardFn backward) {
    if (!needs_grad(inputs)) return out;
    auto node = std::make_shared<Node>();
    node->name = name;
    for (const Tensor& input : inputs) node->inputs.push_back(edge_to(input));
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

    // Reverse topological order of the nodes reachable from root (iterative depth-first search).
    std::vector<Node*> order;
    std::unordered_set<Node*> seen;
    std::vector<std::pair<Node*, size_t>> stack;
    if (root.grad_fn()) stack.push_back({root.grad_fn().get(), 0}), seen.insert(root.grad_fn().get());
    while (!stack.empty()) {
        auto& [node, next] = stack.back();
        if (next < node->inputs.size()) {
            Node* in = node->inputs[next++].node.get();
            if (in != nullptr && seen.insert(in).second) stack.push_back({in, 0});
        } else {
            order.push_back(node);
            stack.pop_back();
        }
    }

    NoGradGuard no_grad;  // backward functions compute with plain tensors
    std::unordered_map<Node*, Tensor> grads;  // gradient of each op's result, summed over its uses
    auto accumulate = [&](const Edge& edge, const Tensor& dX, const std::string& from) {
        check(dX.shape() == edge.shape, "backward of ", from, ": gradient of shape ", dX.shape_str(),
              " for an input of shape ", shape_str(edge.shape));
        if (edge.node) {
            Tensor& g = grads[edge.node.get()];
            if (g.defined())
                accumulate_into(g, dX);
            else
                g = dX;
        } else if (edge.leaf) {  // the leaf's own buffer, never an alias of another tensor
            Tensor g(std::move(edge.leaf->grad));
            if (g.defined())
                accumulate_into(g, dX);
            else
                g = dX.clone();
            edge.leaf->grad = g.impl_ptr();
        }
    };

    accumulate(edge_to(root), dY, "backward");
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        Node& node = **it;
        auto found = grads.find(&node);
        if (found == grads.end()) continue;
        check(node.backward != nullptr, "backward through ", node.name, " a second time: the first backward ",
              "freed what it had kept (as PyTorch does); compute the result again");
        std::vector<Tensor> dInputs;
        {
            const Tensor dOut = std::move(found->second);
            grads.erase(found);
            dInputs = node.backward(dOut);
        }  // dOut is freed here, before its contributions are added up
        node.backward = nullptr;  // and so is everything this op kept for its backward
        check(dInputs.size() == node.inputs.size(), "backward of ", node.name, ": returned ", dInputs.size(),
              " gradients for ", node.inputs.size(), " inputs");
        for (size_t i = 0; i < dInputs.size(); ++i) {
            const Edge& edge = node.inputs[i];
            if (dInputs[i].defined() && (edge.node || edge.leaf)) accumulate(edge, dInputs[i], node.name);
            dInputs[i] = Tensor();  // each contribution freed once added
        }
    }
}

}  // namespace convlab
