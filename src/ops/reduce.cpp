// src/ops/reduce.cpp
#include "ops/reduce.hpp"

#include <algorithm>
#include <limits>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "ops/elementwise.hpp"

namespace convlab {
namespace {

// Splits x's dims into kept and reduced: returns x permuted to (kept..., reduced...) and made dense,
// the number of output values and the length of each reduced row.
struct Rows {
    Tensor dense;    // (outer, inner) in memory
    int64_t outer, inner;
    Shape out_shape;  // with keepdim
};

Rows to_rows(const Tensor& x, const std::vector<int>& dims_in, const char* op) {
    const int nd = x.ndim();
    std::vector<bool> reduced(nd, false);
    for (int d : dims_in) reduced[normalize_dim(d, nd, op)] = true;
    std::vector<int> order;
    Shape out_shape = x.shape();
    int64_t outer = 1, inner = 1;
    for (int d = 0; d < nd; ++d)
        if (!reduced[d]) order.push_back(d), outer *= x.dim(d);
    for (int d = 0; d < nd; ++d)
        if (reduced[d]) order.push_back(d), inner *= x.dim(d), out_shape[d] = 1;
    NoGradGuard no_grad;  // a private copy, not part of the graph
    return {x.detach().permute(order).contiguous(), outer, inner, out_shape};
}

Shape drop_ones(const Shape& keep_shape, const std::vector<int>& dims, int nd) {
    std::vector<bool> reduced(nd, false);
    for (int d : dims) reduced[normalize_dim(d, nd, "reduce")] = true;
    Shape s;
    for (int d = 0; d < nd; ++d)
        if (!reduced[d]) s.push_back(keep_shape[d]);
    return s;
}

// Broadcasts a reduced gradient (keepdim shape) back to the input's shape.
Tensor expand_to(const Tensor& g, const Shape& keep_shape, const Shape& shape) {
    return add(g.reshape(keep_shape), Tensor::zeros(shape));
}

constexpr int64_t kLanes = 64;  // four 16-float vectors: enough independent adds to hide their latency
constexpr int64_t kRun = 1024;  // values per lane in a run: 16, so the float sums lose nothing to speak of

}  // namespace

double sum_floats(const float* p, int64_t n) {
    double sums[kLanes] = {};
    for (int64_t i0 = 0; i0 < n; i0 += kRun) {
        const int64_t i1 = std::min(n, i0 + kRun);
        float lanes[kLanes] = {};
        int64_t i = i0;
        for (; i + kLanes <= i1; i += kLanes)
            for (int64_t t = 0; t < kLanes; ++t) lanes[t] += p[i + t];
        for (int64_t t = 0; i + t < i1; ++t) lanes[t] += p[i + t];
        for (int64_t t = 0; t < kLanes; ++t) sums[t] += lanes[t];
    }
    double total = 0.0;
    for (const double s : sums) total += s;
    return total;
}

Tensor sum(const Tensor& x) {
    const Tensor xc = x.contiguous();
    const float* p = xc.data();
    const double total = parallel_sum(xc.numel(), [p](int64_t lo, int64_t hi) { return sum_floats(p + lo, hi - lo); });
    return record(Tensor::scalar(static_cast<float>(total)), "sum", {x}, [shape = x.shape()](const Tensor& dY) {
        return std::vector<Tensor>{Tensor::full(shape, dY.item())};
    });
}

Tensor sum(const Tensor& x, const std::vector<int>& dims, bool keepdim) {
    const Rows rows = to_rows(x, dims, "sum");
    Tensor out = Tensor::empty(rows.out_shape);
    const float* p = rows.dense.data();
    float* y = out.data();
    parallel_for(rows.outer, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) y[r] = static_cast<float>(sum_floats(p + r * rows.inner, rows.inner));
    }, std::max<int64_t>(1, kTaskGrain / std::max<int64_t>(rows.inner, 1)));
    if (!keepdim) out = out.detach().reshape(drop_ones(rows.out_shape, dims, x.ndim()));
    return record(out, "sum", {x}, [keep = rows.out_shape, shape = x.shape()](const Tensor& dY) {
        return std::vector<Tensor>{expand_to(dY, keep, shape)};
    });
}

Tensor mean(const Tensor& x) { return sum(x) / static_cast<float>(std::max<int64_t>(x.numel(), 1)); }

Tensor mean(const Tensor& x, const std::vector<int>& dims, bool keepdim) {
    int64_t count = 1;
    for (int d : dims) count *= x.dim(d);
    return sum(x, dims, keepdim) / static_cast<float>(std::max<int64_t>(count, 1));
}

Tensor max(const Tensor& x, int dim, bool keepdim) {
    const int d = normalize_dim(dim, x.ndim(), "max");
    check(x.dim(d) > 0, "max: empty dim ", dim, " in shape ", x.shape_str());
    const Rows rows = to_rows(x, {d}, "max");
    Tensor out = Tensor::empty(rows.out_shape), where = Tensor::empty(rows.out_shape);
    const float* p = rows.dense.data();
    for (int64_t r = 0; r < rows.outer; ++r) {
        const float* row = p + r * rows.inner;
        const int64_t best = std::max_element(row, row + rows.inner) - row;  // first maximum
        out.data()[r] = row[best];
        where.data()[r] = static_cast<float>(best);
    }
    if (!keepdim) out = out.detach().reshape(drop_ones(rows.out_shape, {d}, x.ndim()));
    return record(out, "max", {x}, [keep = rows.out_shape, shape = x.shape(), where, d](const Tensor& dY) {
        // one-hot of the argmax along d, times dY
        Tensor onehot = Tensor::zeros(shape);
        const Shape strides = onehot.strides();
        const Tensor g = dY.contiguous();
        for (int64_t r = 0; r < where.numel(); ++r) {
            int64_t rem = r, off = 0;
            for (int k = static_cast<int>(keep.size()) - 1; k >= 0; --k) {
                off += (rem % keep[k]) * strides[k];
                rem /= keep[k];
            }
            onehot.data()[off + static_cast<int64_t>(where.data()[r]) * strides[d]] = g.data()[r];
        }
        return std::vector<Tensor>{onehot};
    });
}

Tensor argmax(const Tensor& x, int dim) {
    NoGradGuard no_grad;
    const int d = normalize_dim(dim, x.ndim(), "argmax");
    const Rows rows = to_rows(x, {d}, "argmax");
    Tensor out = Tensor::empty(drop_ones(rows.out_shape, {d}, x.ndim()));
    for (int64_t r = 0; r < rows.outer; ++r) {
        const float* row = rows.dense.data() + r * rows.inner;
        out.data()[r] = static_cast<float>(std::max_element(row, row + rows.inner) - row);
    }
    return out;
}

Tensor sum_to(const Tensor& x, const Shape& shape) {
    if (x.shape() == shape) return x;
    const int nd = x.ndim(), lead = nd - static_cast<int>(shape.size());
    check(lead >= 0, "sum_to: cannot reduce shape ", x.shape_str(), " to ", shape_str(shape));
    std::vector<int> dims;
    for (int d = 0; d < nd; ++d) {
        if (d < lead) {
            dims.push_back(d);
        } else if (shape[d - lead] == 1 && x.dim(d) != 1) {
            dims.push_back(d);
        } else {
            check(shape[d - lead] == x.dim(d), "sum_to: cannot reduce shape ", x.shape_str(), " to ",
                  shape_str(shape));
        }
    }
    return sum(x, dims, true).reshape(shape);
}

}  // namespace convlab
