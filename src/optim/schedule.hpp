// src/optim/schedule.hpp
//
// Learning-rate schedules: alpha as a function of the epoch, alpha_0 being the optimiser's lr when the
// schedule is made. Call step() once per epoch, after that epoch's optimiser steps; it sets opt.lr.
//                                                            [course 2, "Learning Rate Decay"]
#pragma once

#include <cstdint>

#include "optim/optimizer.hpp"

namespace convlab::optim {

class LRSchedule {
public:
    explicit LRSchedule(Optimizer& opt);
    virtual ~LRSchedule();
    LRSchedule(const LRSchedule&) = delete;
    LRSchedule& operator=(const LRSchedule&) = delete;

    void step();                      // epoch += 1, then opt.lr = lr_at(epoch)
    void set_epoch(int64_t epoch);    // jump there (resuming from a checkpoint): opt.lr = lr_at(epoch)
    int64_t epoch() const { return epoch_; }
    virtual float lr_at(int64_t epoch) const = 0;

protected:
    float alpha0_;

private:
    Optimizer& opt_;
    int64_t epoch_ = 0;
};

// alpha = alpha_0 * gamma^floor(epoch / step_size): divide by 1/gamma every step_size epochs.
class StepLR : public LRSchedule {
public:
    StepLR(Optimizer& opt, int64_t step_size, float gamma = 0.1f);
    float lr_at(int64_t epoch) const override;

private:
    int64_t step_size_;
    float gamma_;
};

// alpha = eta_min + (alpha_0 - eta_min) (1 + cos(pi epoch / T_max)) / 2  for epoch <= T_max, then eta_min:
// half a cosine from alpha_0 down to eta_min (Loshchilov & Hutter, SGDR, 2017, without restarts).
class CosineLR : public LRSchedule {
public:
    CosineLR(Optimizer& opt, int64_t T_max, float eta_min = 0.0f);
    float lr_at(int64_t epoch) const override;

private:
    int64_t T_max_;
    float eta_min_;
};

}  // namespace convlab::optim
