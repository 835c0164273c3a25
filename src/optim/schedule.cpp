// src/optim/schedule.cpp
#include "optim/schedule.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace convlab::optim {

LRSchedule::LRSchedule(Optimizer& opt) : alpha0_(opt.lr), opt_(opt) {}
LRSchedule::~LRSchedule() = default;

void LRSchedule::step() { set_epoch(epoch_ + 1); }

void LRSchedule::set_epoch(int64_t epoch) {
    check(epoch >= 0, "LRSchedule: epoch must be >= 0, got ", epoch);
    epoch_ = epoch;
    opt_.lr = lr_at(epoch);
}

StepLR::StepLR(Optimizer& opt, int64_t step_size, float gamma)
    : LRSchedule(opt), step_size_(step_size), gamma_(gamma) {
    check(step_size > 0 && gamma > 0.0f, "StepLR: needs step_size > 0 and gamma > 0, got ", step_size, " and ",
          gamma);
}

float StepLR::lr_at(int64_t epoch) const {
    return static_cast<float>(alpha0_ * std::pow(double(gamma_), double(epoch / step_size_)));
}

CosineLR::CosineLR(Optimizer& opt, int64_t T_max, float eta_min) : LRSchedule(opt), T_max_(T_max), eta_min_(eta_min) {
    check(T_max > 0 && eta_min >= 0.0f, "CosineLR: needs T_max > 0 and eta_min >= 0, got ", T_max, " and ", eta_min);
}

float CosineLR::lr_at(int64_t epoch) const {
    const double pi = 3.14159265358979323846;
    const double progress = double(std::min(epoch, T_max_)) / double(T_max_);
    return static_cast<float>(eta_min_ + (alpha0_ - eta_min_) * 0.5 * (1.0 + std::cos(pi * progress)));
}

}  // namespace convlab::optim
