// src/io/draw.cpp
#include "io/draw.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/error.hpp"
#include "io/font.hpp"

namespace convlab {
namespace {

// The pixels of an image being drawn on.
class Canvas {
public:
    Canvas(Tensor& image, const char* op) {
        check(image.defined(), op, ": the image tensor is undefined");
        const bool ok = image.ndim() == 2 || (image.ndim() == 3 && (image.dim(0) == 1 || image.dim(0) == 3));
        check(ok, op, ": expected an image (C, H, W) with C = 1 or 3, or (H, W), got ", image.shape_str());
        check(image.is_contiguous(), op, ": the image must be contiguous to be drawn on, got a strided view of ",
              image.shape_str());
        p_ = image.data();
        C_ = image.ndim() == 3 ? image.dim(0) : 1;
        H_ = image.dim(-2);
        W_ = image.dim(-1);
    }

    Rect bounds() const { return {0, 0, W_, H_}; }

    // pixel = (1 - alpha) * pixel + alpha * colour, if (x, y) is inside the image.
    void blend(int64_t x, int64_t y, Rgb colour, float alpha) {
        if (x < 0 || y < 0 || x >= W_ || y >= H_) return;
        float* px = p_ + y * W_ + x;
        if (C_ == 1) {
            const float luma = 0.299f * colour.r + 0.587f * colour.g + 0.114f * colour.b;
            *px += alpha * (luma - *px);
            return;
        }
        const float rgb[3] = {colour.r, colour.g, colour.b};
        for (int c = 0; c < 3; ++c) px[c * H_ * W_] += alpha * (rgb[c] - px[c * H_ * W_]);
    }

private:
    float* p_ = nullptr;
    int64_t C_ = 1, H_ = 0, W_ = 0;
};

Rect intersect(const Rect& a, const Rect& b) {
    const int64_t x0 = std::max(a.x, b.x), y0 = std::max(a.y, b.y);
    const int64_t x1 = std::min(a.x + a.w, b.x + b.w), y1 = std::min(a.y + a.h, b.y + b.h);
    return {x0, y0, std::max<int64_t>(0, x1 - x0), std::max<int64_t>(0, y1 - y0)};
}

// The pixel columns [lo, hi) whose centres lie within `reach` of [a, b], inside [area_lo, area_hi).
// Works in double first, so points far outside the image (or infinite) never overflow an integer.
void pixel_span(double a, double b, double reach, int64_t area_lo, int64_t area_hi, int64_t* lo, int64_t* hi) {
    const double l = std::clamp(std::min(a, b) - reach, double(area_lo), double(area_hi));
    const double h = std::clamp(std::max(a, b) + reach + 1, double(area_lo), double(area_hi));
    *lo = static_cast<int64_t>(std::floor(l));
    *hi = std::max(*lo, static_cast<int64_t>(std::floor(h)));
}

// Distance from (px, py) to the segment (x0, y0)-(x1, y1).
double segment_distance(double px, double py, double x0, double y0, double x1, double y1) {
    const double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
    const double t = len2 > 0 ? std::clamp(((px - x0) * dx + (py - y0) * dy) / len2, 0.0, 1.0) : 0.0;
    return std::hypot(px - (x0 + t * dx), py - (y0 + t * dy));
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    if (lines.empty()) lines.emplace_back();
    return lines;
}

// Every ink pixel of the text, as a scale x scale square at (x + u, y + v) in the text's own frame (u to the
// right along the text, v down), or turned upwards: (x + v, y - 1 - u).
void draw_glyphs(Canvas& canvas, int64_t x, int64_t y, const std::string& text, Rgb colour, int scale, bool up) {
    check(scale >= 1 && scale <= 64, "draw_text: scale must be in 1..64, got ", scale);
    const std::vector<std::string> lines = split_lines(text);
    for (size_t l = 0; l < lines.size(); ++l)
        for (size_t k = 0; k < lines[l].size(); ++k)
            for (int row = 0; row < kGlyphHeight; ++row)
                for (int col = 0; col < kGlyphWidth; ++col) {
                    if (!glyph_pixel(lines[l][k], row, col)) continue;
                    const int64_t u0 = (static_cast<int64_t>(k) * kGlyphAdvance + col) * scale;
                    const int64_t v0 = (static_cast<int64_t>(l) * kLineHeight + row) * scale;
                    for (int64_t du = 0; du < scale; ++du)
                        for (int64_t dv = 0; dv < scale; ++dv) {
                            const int64_t u = u0 + du, v = v0 + dv;
                            if (up)
                                canvas.blend(x + v, y - 1 - u, colour, 1.0f);
                            else
                                canvas.blend(x + u, y + v, colour, 1.0f);
                        }
                }
}

// Copies an image into a (3, H, W) canvas at (x, y), each pixel as a scale x scale square; grey -> R = G = B.
void paste(Tensor& canvas, const Tensor& image, int64_t x, int64_t y, int scale) {
    const Tensor src = image.contiguous();
    const int64_t C = image.ndim() == 3 ? image.dim(0) : 1, H = image.dim(-2), W = image.dim(-1);
    const int64_t cH = canvas.dim(1), cW = canvas.dim(2);
    for (int64_t c = 0; c < 3; ++c) {
        const float* from = src.data() + (C == 3 ? c : 0) * H * W;
        for (int64_t i = 0; i < H * scale; ++i)
            for (int64_t j = 0; j < W * scale; ++j)
                canvas.data()[(c * cH + y + i) * cW + x + j] = from[(i / scale) * W + j / scale];
    }
}

}  // namespace

int64_t text_width(const std::string& text, int scale) {
    size_t widest = 0;
    for (const std::string& line : split_lines(text)) widest = std::max(widest, line.size());
    return widest == 0 ? 0 : (static_cast<int64_t>(widest) * kGlyphAdvance - 1) * scale;
}

int64_t text_height(const std::string& text, int scale) {
    return (static_cast<int64_t>(split_lines(text).size() - 1) * kLineHeight + kGlyphHeight) * scale;
}

void draw_text(Tensor& image, int64_t x, int64_t y, const std::string& text, Rgb colour, int scale) {
    Canvas canvas(image, "draw_text");
    draw_glyphs(canvas, x, y, text, colour, scale, /*up=*/false);
}

void draw_text(Tensor& image, int64_t x, int64_t y, const std::string& text, float r, float g, float b, int scale) {
    draw_text(image, x, y, text, Rgb{r, g, b}, scale);
}

void draw_text_up(Tensor& image, int64_t x, int64_t y, const std::string& text, Rgb colour, int scale) {
    Canvas canvas(image, "draw_text_up");
    draw_glyphs(canvas, x, y, text, colour, scale, /*up=*/true);
}

void fill_rect(Tensor& image, const Rect& rect, Rgb colour) {
    Canvas canvas(image, "fill_rect");
    const Rect r = intersect(rect, canvas.bounds());
    for (int64_t y = r.y; y < r.y + r.h; ++y)
        for (int64_t x = r.x; x < r.x + r.w; ++x) canvas.blend(x, y, colour, 1.0f);
}

void draw_rect(Tensor& image, const Rect& rect, Rgb colour) {
    if (rect.w <= 0 || rect.h <= 0) return;
    fill_rect(image, {rect.x, rect.y, rect.w, 1}, colour);
    fill_rect(image, {rect.x, rect.y + rect.h - 1, rect.w, 1}, colour);
    fill_rect(image, {rect.x, rect.y, 1, rect.h}, colour);
    fill_rect(image, {rect.x + rect.w - 1, rect.y, 1, rect.h}, colour);
}

void draw_polyline(Tensor& image, const std::vector<double>& x, const std::vector<double>& y, Rgb colour,
                   double width, const Rect& clip) {
    Canvas canvas(image, "draw_polyline");
    check(x.size() == y.size(), "draw_polyline: ", x.size(), " x values but ", y.size(), " y values");
    check(width > 0 && width <= 1000, "draw_polyline: width must be in (0, 1000], got ", width);
    const Rect area = intersect(clip, canvas.bounds());
    if (area.w == 0 || area.h == 0) return;
    // Coverage of each pixel of `area` by the whole line (the maximum over its segments), blended once, so
    // the joints between segments are not painted twice.
    std::vector<float> cover(static_cast<size_t>(area.w * area.h), 0.0f);
    const double reach = width / 2 + 0.5;
    bool any = false;
    for (size_t k = x.size() == 1 ? 0 : 1; k < x.size(); ++k) {
        const size_t prev = k == 0 ? 0 : k - 1;  // a single point is a segment of length 0: a dot
        const double x0 = x[prev], y0 = y[prev], x1 = x[k], y1 = y[k];
        if (!std::isfinite(x0) || !std::isfinite(y0) || !std::isfinite(x1) || !std::isfinite(y1)) continue;
        int64_t i_lo, i_hi, j_lo, j_hi;
        pixel_span(y0 - 0.5, y1 - 0.5, reach, area.y, area.y + area.h, &i_lo, &i_hi);
        pixel_span(x0 - 0.5, x1 - 0.5, reach, area.x, area.x + area.w, &j_lo, &j_hi);
        for (int64_t i = i_lo; i < i_hi; ++i)
            for (int64_t j = j_lo; j < j_hi; ++j) {
                const double d = segment_distance(j + 0.5, i + 0.5, x0, y0, x1, y1);
                const float c = static_cast<float>(std::clamp(reach - d, 0.0, 1.0));
                float& slot = cover[(i - area.y) * area.w + (j - area.x)];
                slot = std::max(slot, c);
                any = any || c > 0;
            }
    }
    if (!any) return;
    for (int64_t i = 0; i < area.h; ++i)
        for (int64_t j = 0; j < area.w; ++j)
            if (const float c = cover[i * area.w + j]; c > 0) canvas.blend(area.x + j, area.y + i, colour, c);
}

void draw_line(Tensor& image, double x0, double y0, double x1, double y1, Rgb colour, double width) {
    draw_polyline(image, {x0, x1}, {y0, y1}, colour, width, {0, 0, image.dim(-1), image.dim(-2)});
}

void fill_circle(Tensor& image, double cx, double cy, double radius, Rgb colour, const Rect& clip) {
    check(radius > 0 && radius <= 1000, "fill_circle: radius must be in (0, 1000], got ", radius);
    draw_polyline(image, {cx}, {cy}, colour, 2 * radius, clip);
}

Tensor make_grid(const std::vector<Tensor>& images, const GridOptions& options) {
    const int64_t n = static_cast<int64_t>(images.size());
    check(n > 0, "make_grid: no images");
    check(options.cols >= 0, "make_grid: cols must be >= 0 (0 = automatic), got ", options.cols);
    check(options.pad >= 0 && options.pad <= 256, "make_grid: pad must be in 0..256, got ", options.pad);
    check(options.scale >= 1 && options.scale <= 64, "make_grid: scale must be in 1..64, got ", options.scale);
    const int64_t cols = std::min<int64_t>(n, options.cols > 0 ? options.cols
                                                             : static_cast<int64_t>(std::ceil(std::sqrt(n))));
    const int64_t rows = (n + cols - 1) / cols;
    check(options.captions.empty() || static_cast<int64_t>(options.captions.size()) == n, "make_grid: ", n,
          " images but ", options.captions.size(), " captions");
    check(options.row_labels.empty() || static_cast<int64_t>(options.row_labels.size()) == rows, "make_grid: ",
          rows, " rows but ", options.row_labels.size(), " row labels");

    // Cell size: the largest image (scaled) or caption; the caption band under the images; the label column.
    const int64_t pad = options.pad, s = options.scale;
    int64_t cell_w = 0, cell_h = 0, caption_h = 0, label_w = 0;
    for (int64_t k = 0; k < n; ++k) {
        const Tensor& im = images[k];
        check(im.defined() && (im.ndim() == 2 || (im.ndim() == 3 && (im.dim(0) == 1 || im.dim(0) == 3))),
              "make_grid: image ", k, ": expected (C, H, W) with C = 1 or 3, or (H, W), got ",
              im.defined() ? im.shape_str() : std::string("an undefined tensor"));
        cell_w = std::max(cell_w, im.dim(-1) * s);
        cell_h = std::max(cell_h, im.dim(-2) * s);
        if (!options.captions.empty()) {
            cell_w = std::max(cell_w, text_width(options.captions[k]));
            caption_h = std::max(caption_h, text_height(options.captions[k]) + 3);
        }
    }
    for (const std::string& label : options.row_labels) label_w = std::max(label_w, text_width(label) + pad + 4);
    const int64_t title_h = options.title.empty() ? 0 : text_height(options.title, 2) + 6;
    const int64_t W = std::max(label_w + cols * (cell_w + pad) + pad, text_width(options.title, 2) + 2 * pad + 4);
    const int64_t H = title_h + rows * (cell_h + caption_h + pad) + pad;

    Tensor grid = Tensor::ones({3, H, W});
    const Rgb ink{0.1f, 0.1f, 0.1f};
    if (!options.title.empty()) draw_text(grid, (W - text_width(options.title, 2)) / 2, pad + 3, options.title, ink, 2);
    for (int64_t k = 0; k < n; ++k) {
        const int64_t row = k / cols, col = k % cols;
        const int64_t x = label_w + pad + col * (cell_w + pad), y = title_h + pad + row * (cell_h + caption_h + pad);
        const int64_t w = images[k].dim(-1) * s, h = images[k].dim(-2) * s;
        paste(grid, images[k], x + (cell_w - w) / 2, y + cell_h - h, options.scale);  // on the caption
        if (options.captions.empty()) continue;
        const std::vector<std::string> lines = split_lines(options.captions[k]);
        for (size_t l = 0; l < lines.size(); ++l)
            draw_text(grid, x + (cell_w - text_width(lines[l])) / 2, y + cell_h + 2 + int64_t(l) * kLineHeight,
                      lines[l], ink);
    }
    for (int64_t row = 0; row < static_cast<int64_t>(options.row_labels.size()); ++row) {
        const std::string& label = options.row_labels[row];
        draw_text(grid, pad, title_h + pad + row * (cell_h + caption_h + pad) + (cell_h - text_height(label)) / 2,
                  label, ink);
    }
    return grid;
}

Tensor make_grid(const std::vector<Tensor>& images, int cols, const std::vector<std::string>& captions, int pad) {
    GridOptions options;
    options.cols = cols;
    options.captions = captions;
    options.pad = pad;
    return make_grid(images, options);
}

}  // namespace convlab
