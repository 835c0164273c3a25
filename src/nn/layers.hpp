// src/nn/layers.hpp: every layer, for programs that build networks.
#pragma once

#include "nn/activation.hpp"
#include "nn/conv.hpp"
#include "nn/init.hpp"
#include "nn/linear.hpp"
#include "nn/module.hpp"
#include "nn/norm.hpp"
#include "nn/pool.hpp"
#include "nn/reshape.hpp"
