// src/convlab.hpp: everything in the engine, for programs and tests.
#pragma once

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"
#include "core/tensor.hpp"
#include "ops/elementwise.hpp"
#include "ops/matmul.hpp"
#include "ops/reduce.hpp"
#include "ops/shape_ops.hpp"
