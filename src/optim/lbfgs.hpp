// src/optim/lbfgs.hpp
//
// L-BFGS: a quasi-Newton method. It keeps the last `history` pairs
//     s_k = x_{k+1} - x_k   (a step),   y_k = g_{k+1} - g_k   (how the gradient changed along it)
// and from them builds d = -H g, where H approximates the inverse Hessian (the two-loop recursion,
// Nocedal & Wright, "Numerical Optimization", 2nd ed., Algorithm 7.4). A line search then picks how far
// to go along d. Neural Style Transfer optimises the generated image G this way (Gatys et al. 2015).
//
// step(closure) follows PyTorch's torch.optim.LBFGS: one call runs up to max_iter iterations (and about
// max_iter * 5/4 loss evaluations), keeps its history across calls, and returns the loss at the start.
// The closure zeroes the gradients, computes the loss, calls backward() and returns the loss.
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "optim/optimizer.hpp"

namespace convlab::optim {

class LBFGS : public Optimizer {
public:
    // line_search: "strong_wolfe" (steps satisfying the strong Wolfe conditions, found by cubic
    // interpolation; Nocedal & Wright Algorithms 3.5 and 3.6) or "none" (fixed step lr).
    LBFGS(std::vector<Tensor> params, float lr = 1.0f, int history = 10, int max_iter = 20,
          float tolerance_grad = 1e-7f, float tolerance_change = 1e-9f, const std::string& line_search = "strong_wolfe");

    float step(const std::function<Tensor()>& closure);
    void step() override;  // throws: L-BFGS must re-evaluate the loss, so it needs the closure

    // state() stays empty: a run resumed from a checkpoint starts with an empty history.

private:
    using Vec = std::vector<float>;  // all parameters, flattened in order
    struct Point {                    // x0 + t d along the search direction
        double t, f, gtd;             // step, loss, directional derivative g.d
        Vec g;                        // gradient
    };

    double evaluate(const std::function<Tensor()>& closure, Vec& g);  // loss at the current parameters
    Vec gather_params() const;
    void set_params(const Vec& x0, double t, const Vec& d);  // x = x0 + t d
    Vec direction(const Vec& g) const;                        // -H g by the two-loop recursion
    Point strong_wolfe(const std::function<Tensor()>& closure, const Vec& x0, double t, const Vec& d,
                       const Point& start, int& evals);

    int history_, max_iter_, max_eval_;
    double tolerance_grad_, tolerance_change_;
    bool wolfe_;

    // Kept from one step(closure) call to the next, as PyTorch does.
    int64_t n_iter_ = 0;
    Vec d_, prev_g_;
    double t_ = 0.0, H_diag_ = 1.0;
    std::deque<Vec> s_, y_;
    std::deque<double> rho_;  // 1 / (y_k . s_k)
};

}  // namespace convlab::optim
