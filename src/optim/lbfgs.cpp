// src/optim/lbfgs.cpp
#include "optim/lbfgs.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/autograd.hpp"
#include "core/error.hpp"

namespace convlab::optim {
namespace {

constexpr double kC1 = 1e-4;          // sufficient decrease: f(t) <= f(0) + c1 t g.d   (Armijo)
constexpr double kC2 = 0.9;           // curvature: |g(t).d| <= c2 |g(0).d|   (0.9: the usual value for quasi-Newton)
constexpr int kMaxLineSearch = 25;    // loss evaluations one line search may spend
constexpr double kMinCurvature = 1e-10;  // a pair (s, y) with y.s below this would break H's positivity: skip it

using Vec = std::vector<float>;

double dot(const Vec& a, const Vec& b) {
    double s = 0.0;
    for (size_t k = 0; k < a.size(); ++k) s += double(a[k]) * b[k];
    return s;
}

double max_abs(const Vec& a) {
    double m = 0.0;
    for (float v : a) m = std::max(m, std::fabs(double(v)));
    return m;
}

double sum_abs(const Vec& a) {
    double s = 0.0;
    for (float v : a) s += std::fabs(double(v));
    return s;
}

void add_scaled(Vec& a, double c, const Vec& b) {  // a += c b
    for (size_t k = 0; k < a.size(); ++k) a[k] = static_cast<float>(a[k] + c * b[k]);
}

// Minimiser of the cubic through (t_a, f_a) and (t_b, f_b) with slopes gtd_a, gtd_b, clamped to [lo, hi];
// the midpoint of [lo, hi] when the cubic has no minimum. Nocedal & Wright, equation (3.59).
template <typename P>
double cubic_minimum(const P& a, const P& b, double lo, double hi) {
    const double d1 = a.gtd + b.gtd - 3.0 * (a.f - b.f) / (a.t - b.t);
    const double d2_squared = d1 * d1 - a.gtd * b.gtd;
    if (d2_squared >= 0.0) {
        const double d2 = std::sqrt(d2_squared);
        const double t = a.t <= b.t ? b.t - (b.t - a.t) * (b.gtd + d2 - d1) / (b.gtd - a.gtd + 2.0 * d2)
                                    : a.t - (a.t - b.t) * (a.gtd + d2 - d1) / (a.gtd - b.gtd + 2.0 * d2);
        if (std::isfinite(t)) return std::min(std::max(t, lo), hi);
    }
    return 0.5 * (lo + hi);
}

}  // namespace

LBFGS::LBFGS(std::vector<Tensor> params_in, float lr_in, int history, int max_iter, float tolerance_grad,
             float tolerance_change, const std::string& line_search)
    : Optimizer(std::move(params_in), lr_in), history_(history), max_iter_(max_iter),
      max_eval_(max_iter * 5 / 4), tolerance_grad_(tolerance_grad), tolerance_change_(tolerance_change),
      wolfe_(line_search == "strong_wolfe") {
    check(lr > 0.0f && history > 0 && max_iter > 0, "LBFGS: needs lr > 0, history > 0, max_iter > 0, got ", lr,
          ", ", history, ", ", max_iter);
    check(line_search == "strong_wolfe" || line_search == "none", "LBFGS: line_search must be 'strong_wolfe' or ",
          "'none', got '", line_search, "'");
}

void LBFGS::step() { fail("LBFGS: call step(closure): the line search has to re-evaluate the loss"); }

double LBFGS::evaluate(const std::function<Tensor()>& closure, Vec& g) {
    const Tensor loss = closure();
    check(loss.defined() && loss.numel() == 1, "LBFGS: the closure must return the one-element loss, got ",
          loss.defined() ? loss.shape_str() : "an undefined tensor");
    g.assign(0, 0.0f);
    for (size_t i = 0; i < params().size(); ++i) {
        const Tensor dW = grad_of(i);
        if (dW.defined())
            g.insert(g.end(), dW.data(), dW.data() + dW.numel());
        else
            g.resize(g.size() + static_cast<size_t>(params()[i].numel()), 0.0f);  // no gradient: 0
    }
    return loss.item();
}

LBFGS::Vec LBFGS::gather_params() const {
    Vec x;
    for (const Tensor& p : params()) x.insert(x.end(), p.data(), p.data() + p.numel());
    return x;
}

void LBFGS::set_params(const Vec& x0, double t, const Vec& d) {
    NoGradGuard no_grad;
    size_t k = 0;
    for (Tensor p : params()) {
        float* w = p.data();
        for (int64_t j = 0; j < p.numel(); ++j, ++k) w[j] = static_cast<float>(x0[k] + t * d[k]);
    }
}

// d = -H g, with H built from the stored pairs (s_k, y_k), oldest first, and the initial scaling
// H_0 = (y.s / y.y) I of the newest pair. Nocedal & Wright, Algorithm 7.4.
LBFGS::Vec LBFGS::direction(const Vec& g) const {
    Vec q(g.size());
    for (size_t k = 0; k < g.size(); ++k) q[k] = -g[k];
    const size_t m = s_.size();
    std::vector<double> alpha(m);
    for (size_t i = m; i-- > 0;) {
        alpha[i] = rho_[i] * dot(s_[i], q);
        add_scaled(q, -alpha[i], y_[i]);
    }
    for (float& v : q) v = static_cast<float>(v * H_diag_);
    for (size_t i = 0; i < m; ++i) {
        const double beta = rho_[i] * dot(y_[i], q);
        add_scaled(q, alpha[i] - beta, s_[i]);
    }
    return q;
}

// A step t along d that satisfies the strong Wolfe conditions (sufficient decrease kC1, curvature kC2).
// Phase 1 (bracketing) grows t by cubic extrapolation until an interval surely holds such a step;
// phase 2 (zoom) shrinks the interval by safeguarded cubic interpolation. Nocedal & Wright, 3.5 and 3.6.
// Returns the best point found; `evals` counts the loss evaluations.
LBFGS::Point LBFGS::strong_wolfe(const std::function<Tensor()>& closure, const Vec& x0, double t, const Vec& d,
                                 const Point& start, int& evals) {
    auto at = [&](double step) {
        Point p{step, 0.0, 0.0, {}};
        set_params(x0, step, d);
        p.f = evaluate(closure, p.g);
        p.gtd = dot(p.g, d);
        ++evals;
        return p;
    };
    auto decreased_enough = [&](const Point& p) { return p.f <= start.f + kC1 * p.t * start.gtd; };
    auto flat_enough = [&](const Point& p) { return std::fabs(p.gtd) <= -kC2 * start.gtd; };

    // Phase 1: bracket.
    Point prev = start, cur = at(t);
    std::array<Point, 2> bracket;
    int ls_iter = 0;
    for (;; ++ls_iter) {
        if (ls_iter == kMaxLineSearch) {
            bracket = {start, cur};
            break;
        }
        if (!decreased_enough(cur) || (ls_iter > 1 && cur.f >= prev.f)) {
            bracket = {prev, cur};  // the loss went up: a good step lies between
            break;
        }
        if (flat_enough(cur)) return cur;
        if (cur.gtd >= 0.0) {
            bracket = {prev, cur};  // the slope turned: passed a minimum
            break;
        }
        const double next = cubic_minimum(prev, cur, cur.t + 0.01 * (cur.t - prev.t), 10.0 * cur.t);
        prev = std::move(cur);
        cur = at(next);
    }

    // Phase 2: zoom. bracket[low] is the end with the lower loss.
    const double d_norm = max_abs(d);
    int low = bracket[0].f <= bracket[1].f ? 0 : 1;
    bool insufficient_progress = false;
    for (; ls_iter < kMaxLineSearch; ++ls_iter) {
        const double b_lo = std::min(bracket[0].t, bracket[1].t), b_hi = std::max(bracket[0].t, bracket[1].t);
        if ((b_hi - b_lo) * d_norm < tolerance_change_) break;
        double next = cubic_minimum(bracket[0], bracket[1], b_lo, b_hi);
        // Safeguard: a trial too close to an end of the interval shrinks it too slowly. The second time in
        // a row (or when it falls on the end itself) move it 10% of the width inside.
        const double margin = 0.1 * (b_hi - b_lo);
        if (std::min(b_hi - next, next - b_lo) < margin) {
            if (insufficient_progress || next >= b_hi || next <= b_lo) {
                next = std::fabs(next - b_hi) < std::fabs(next - b_lo) ? b_hi - margin : b_lo + margin;
                insufficient_progress = false;
            } else {
                insufficient_progress = true;
            }
        } else {
            insufficient_progress = false;
        }
        Point p = at(next);
        if (!decreased_enough(p) || p.f >= bracket[low].f) {
            bracket[1 - low] = std::move(p);  // the new point bounds the interval from the high side
            low = bracket[0].f <= bracket[1].f ? 0 : 1;
        } else {
            const bool done = flat_enough(p);
            if (!done && p.gtd * (bracket[1 - low].t - bracket[low].t) >= 0.0) bracket[1 - low] = bracket[low];
            bracket[low] = std::move(p);
            if (done) break;
        }
    }
    return bracket[low];
}

float LBFGS::step(const std::function<Tensor()>& closure) {
    Vec g;
    double loss = evaluate(closure, g);
    const float first_loss = static_cast<float>(loss);
    int evals = 1;
    if (max_abs(g) <= tolerance_grad_) return first_loss;  // already at a stationary point

    for (int iter = 1; iter <= max_iter_; ++iter) {
        ++n_iter_;
        if (n_iter_ == 1) {  // the very first iteration: steepest descent
            d_.resize(g.size());
            for (size_t k = 0; k < g.size(); ++k) d_[k] = -g[k];
            s_.clear(), y_.clear(), rho_.clear();
            H_diag_ = 1.0;
        } else {
            Vec s = d_, y = g;  // s = t d (the last step), y = g - g_prev
            for (float& v : s) v = static_cast<float>(v * t_);
            add_scaled(y, -1.0, prev_g_);
            const double ys = dot(y, s);
            if (ys > kMinCurvature) {
                if (static_cast<int>(s_.size()) == history_) s_.pop_front(), y_.pop_front(), rho_.pop_front();
                H_diag_ = ys / dot(y, y);
                s_.push_back(std::move(s)), y_.push_back(std::move(y)), rho_.push_back(1.0 / ys);
            }
            d_ = direction(g);
        }
        prev_g_ = g;
        const double prev_loss = loss;
        // The first step is scaled down so that it moves the parameters by at most lr in total.
        t_ = n_iter_ == 1 ? std::min(1.0, 1.0 / sum_abs(g)) * lr : lr;
        const double gtd = dot(g, d_);
        if (gtd > -tolerance_change_) break;  // d no longer points downhill

        if (wolfe_) {
            const Vec x0 = gather_params();
            Point found = strong_wolfe(closure, x0, t_, d_, Point{0.0, loss, gtd, g}, evals);
            t_ = found.t, loss = found.f, g = std::move(found.g);
            set_params(x0, t_, d_);
        } else {
            set_params(gather_params(), t_, d_);
            if (iter == max_iter_) break;
            loss = evaluate(closure, g);
            ++evals;
        }
        if (iter == max_iter_ || evals >= max_eval_) break;
        if (max_abs(g) <= tolerance_grad_) break;                     // stationary point
        if (t_ * max_abs(d_) <= tolerance_change_) break;             // the step no longer moves x
        if (std::fabs(loss - prev_loss) < tolerance_change_) break;   // the loss no longer moves
    }
    return first_loss;
}

}  // namespace convlab::optim
