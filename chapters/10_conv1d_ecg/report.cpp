// chapters/10_conv1d_ecg/report.cpp
#include "chapters/10_conv1d_ecg/report.hpp"

#include <cmath>
#include <cstdio>

#include "chapters/10_conv1d_ecg/conv_shape.hpp"
#include "core/autograd.hpp"
#include "core/error.hpp"
#include "io/draw.hpp"
#include "io/image.hpp"
#include "io/plot.hpp"
#include "nn/layers.hpp"

namespace convlab {

Summary summarize(const std::vector<double>& values) {
    check(!values.empty(), "summarize: expected at least one value");
    Summary s;
    for (const double v : values) s.mean += v;
    s.mean /= static_cast<double>(values.size());
    if (values.size() > 1) {
        double sq = 0.0;
        for (const double v : values) sq += (v - s.mean) * (v - s.mean);
        s.std = std::sqrt(sq / static_cast<double>(values.size() - 1));
    }
    return s;
}

std::string layer_name(const nn::Module& layer) {
    if (const auto* conv = dynamic_cast<const nn::Conv*>(&layer)) {
        std::string f = std::to_string(conv->W.dim(2));
        for (int d = 3; d < conv->W.ndim(); ++d) f += "x" + std::to_string(conv->W.dim(d));
        return "conv " + f + " (" + std::to_string(conv->W.dim(0)) + " filters)";
    }
    if (dynamic_cast<const nn::BatchNorm*>(&layer)) return "batch norm";
    if (dynamic_cast<const nn::ReLU*>(&layer)) return "ReLU";
    if (dynamic_cast<const nn::Pool*>(&layer)) return "pool";
    if (dynamic_cast<const nn::GlobalAvgPool*>(&layer)) return "global average pool";
    if (dynamic_cast<const nn::Dropout*>(&layer)) return "dropout";
    if (dynamic_cast<const nn::Flatten*>(&layer)) return "flatten";
    if (dynamic_cast<const nn::Linear*>(&layer)) return "linear";
    return "layer";
}

void print_layer_shapes(nn::Sequential& net, const Shape& input) {
    const bool was_training = net.training();
    NoGradGuard no_grad;
    net.eval();
    Tensor a = Tensor::zeros(input);
    std::printf("    %-26s %s\n", "input", dims_str(lecture_shape(input)).c_str());
    for (size_t i = 0; i < net.size(); ++i) {
        a = (*net[i])(a);
        const Shape shown = a.ndim() >= 3 ? lecture_shape(a.shape()) : Shape(a.shape().begin() + 1, a.shape().end());
        std::printf("    %-26s %s\n", layer_name(*net[i]).c_str(), dims_str(shown).c_str());
    }
    net.train(was_training);
}

void save_beats_plot(const std::string& path, const UcrSet& set, const std::function<std::string(int)>& class_name) {
    std::vector<Series> series;
    std::vector<double> t;
    for (int64_t k = 0; k < set.length(); ++k) t.push_back(static_cast<double>(k));
    for (const int c : ucr_classes(set.label)) {
        int shown = 0;
        for (int64_t i = 0; i < set.size() && shown < 2; ++i) {
            if (set.label[i] != c) continue;
            const std::vector<float> v = set.X[i][0].values();
            series.push_back({class_name(c) + " #" + std::to_string(i), t, std::vector<double>(v.begin(), v.end())});
            ++shown;
        }
    }
    save_line_plot(path, series,
                   {"Heartbeats of " + set.name, "sample t", "z-normalised value"});
}

void save_filters_grid(const std::string& path, const Tensor& W) {
    check(W.ndim() == 3, "save_filters_grid: expected conv1d filters (n_filters, n_C, f), got ", W.shape_str());
    std::vector<Tensor> plots;
    std::vector<std::string> captions;
    std::vector<double> taps;
    for (int64_t u = 0; u < W.dim(2); ++u) taps.push_back(static_cast<double>(u));
    for (int64_t k = 0; k < W.dim(0); ++k) {
        const std::vector<float> w = W.detach()[k][0].values();
        plots.push_back(render_line_plot({{"", taps, std::vector<double>(w.begin(), w.end())}},
                                         {"", "", "", false, 200, 150}));
        captions.push_back("filter " + std::to_string(k));
    }
    GridOptions grid;
    grid.cols = 4;
    grid.captions = captions;
    grid.title = "First-layer filters: weight against tap u";
    save_png(path, make_grid(plots, grid));
}

}  // namespace convlab
