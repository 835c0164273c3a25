// src/convlab.hpp: everything in the engine, for programs and tests.
#pragma once

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"
#include "core/tensor.hpp"
#include "ops/conv.hpp"
#include "ops/distance.hpp"
#include "ops/elementwise.hpp"
#include "ops/matmul.hpp"
#include "ops/norm.hpp"
#include "ops/pool.hpp"
#include "ops/reduce.hpp"
#include "ops/reflect_pad.hpp"
#include "ops/shape_ops.hpp"
#include "ops/softmax.hpp"
#include "ops/upsample.hpp"
