// src/core/autograd.hpp
//
// Reverse-mode automatic differentiation, define-by-run.
//
// Every op computes its result, then calls record(...) with its inputs and a backward function. When
// gradients are on and some input requires them, the result remembers a Node: the op's name, an Edge per
// input (where that input's gradient goes) and how to turn dY (the gradient of the loss with respect to
// the result) into dX for each input. backward() walks the nodes from the loss back to the leaves in
// reverse topological order, adding up the contributions of every path (the chain rule), and leaves the
// sums in each leaf's grad().
//
// Memory, as in PyTorch: a Node keeps no input's data. Each backward function captures exactly the tensors
// it reads (ReLU its output, matmul the other factor, add nothing), so an activation that no backward reads
// is freed as soon as the forward pass is done with it; and backward() frees what each node kept once the
// node has run, so a graph can be walked back only once (a second backward() through it throws).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace convlab {

// dY -> {dX_0, dX_1, ...}, one per input (an undefined Tensor for an input that needs none).
using BackwardFn = std::function<std::vector<Tensor>(const Tensor& dY)>;

struct Node;

// Where the gradient of one input of an op goes: into the Node of the op that computed the input, or into
// the grad() of a leaf that requires grad, or nowhere (both null: the input needs no gradient).
struct Edge {
    std::shared_ptr<Node> node;
    std::shared_ptr<TensorImpl> leaf;  // holds the leaf itself: its data is the caller's anyway
    Shape shape;                       // the input's shape, which every gradient sent along is checked against
};

struct Node {
    std::string name;          // op name, used in error messages ("conv2d", "matmul", ...)
    std::vector<Edge> inputs;  // one per input of the op, in its order
    BackwardFn backward;
};

// Gradient recording is on by default; NoGradGuard turns it off in its scope (inference, optimiser steps,
// and inside backward functions themselves).
class NoGradGuard {
public:
    NoGradGuard();
    ~NoGradGuard();
    NoGradGuard(const NoGradGuard&) = delete;
    NoGradGuard& operator=(const NoGradGuard&) = delete;

private:
    bool previous_;
};

// True when an op on these inputs should be recorded.
bool needs_grad(const std::vector<Tensor>& inputs);

// Attaches a Node to `out` if needs_grad(inputs); returns out. The backward function captures what it
// reads, and nothing else (what it captures lives until the node's backward has run). It must not capture
// `out` itself (that would be a reference cycle): capture out.detach() if it needs the result.
Tensor record(Tensor out, const char* name, std::vector<Tensor> inputs, BackwardFn backward);

// Runs the backward pass from `root` with upstream gradient dY (same shape as root), then frees what the
// nodes it ran kept.
void run_backward(const Tensor& root, const Tensor& dY);

}  // namespace convlab
