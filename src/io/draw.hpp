// src/io/draw.hpp
//
// Drawing on images, to show what a network sees and does: text (the bitmap font of io/font.hpp), lines and
// dots (anti-aliased), rectangles, and montages of many images with captions.
//
// Coordinates are pixels: x to the right, y down, (0, 0) the top-left corner of the top-left pixel, so pixel
// (row i, column j) covers [j, j + 1) x [i, i + 1) and its centre is (j + 0.5, i + 0.5). Colours are
// (r, g, b) in [0, 1]; on a grey image a colour draws as its luma 0.299 r + 0.587 g + 0.114 b. Drawing
// writes into the image in place (it must be a contiguous (C, H, W) with C = 1 or 3, or (H, W)) and clips at
// its borders.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace convlab {

struct Rgb {
    float r = 0, g = 0, b = 0;
};

struct Rect {
    int64_t x = 0, y = 0, w = 0, h = 0;  // left, top, width, height in pixels
};

// ---- text ------------------------------------------------------------------------------------------------
// '\n' starts a new line. Size in pixels of the text's box: widest line x all lines.
int64_t text_width(const std::string& text, int scale = 1);
int64_t text_height(const std::string& text, int scale = 1);

// Text with its top-left corner at (x, y), every font pixel drawn as a scale x scale square.
void draw_text(Tensor& image, int64_t x, int64_t y, const std::string& text, float r, float g, float b,
               int scale = 1);
void draw_text(Tensor& image, int64_t x, int64_t y, const std::string& text, Rgb colour, int scale = 1);

// Text turned 90 degrees counter-clockwise, reading upwards (a y-axis label): its box is text_height wide and
// text_width tall, with its bottom-left corner at (x, y).
void draw_text_up(Tensor& image, int64_t x, int64_t y, const std::string& text, Rgb colour, int scale = 1);

// ---- shapes ----------------------------------------------------------------------------------------------
void fill_rect(Tensor& image, const Rect& rect, Rgb colour);
void draw_rect(Tensor& image, const Rect& rect, Rgb colour);  // 1-pixel outline just inside rect

// A line `width` pixels wide through the points (x[i], y[i]), anti-aliased: a pixel is covered by
//   coverage = clamp(width / 2 + 0.5 - distance(pixel centre, line), 0, 1)
// and blended as  pixel = (1 - coverage) * pixel + coverage * colour.  Only pixels inside `clip` change. A
// non-finite point (NaN, inf) breaks the line there: the segments on either side of it are not drawn.
void draw_polyline(Tensor& image, const std::vector<double>& x, const std::vector<double>& y, Rgb colour,
                   double width, const Rect& clip);
void draw_line(Tensor& image, double x0, double y0, double x1, double y1, Rgb colour, double width = 1.0);

// A filled, anti-aliased disc of the given radius centred at (cx, cy), drawn inside `clip`.
void fill_circle(Tensor& image, double cx, double cy, double radius, Rgb colour, const Rect& clip);

// ---- montage ---------------------------------------------------------------------------------------------
struct GridOptions {
    int cols = 0;                           // images per row; 0: as square as possible
    std::vector<std::string> captions{};    // none, or one per image (under it; '\n' for more lines)
    std::vector<std::string> row_labels{};  // none, or one per row (left of it)
    std::string title{};                    // above the grid, if not empty
    int pad = 2;                            // white pixels between cells and around the grid
    int scale = 1;                          // each image pixel drawn as scale x scale (for tiny images)
};

// Images of any sizes, (C, H, W) with C = 1 or 3 or (H, W), in a grid of equal cells, each as large as the
// largest image (or its caption); an image stands centred at the bottom of its cell, on its caption. The
// result is an RGB (3, H, W) image on a white background; pixel values are copied as they are (save_png
// clamps them).
Tensor make_grid(const std::vector<Tensor>& images, const GridOptions& options);
Tensor make_grid(const std::vector<Tensor>& images, int cols, const std::vector<std::string>& captions = {},
                 int pad = 2);

}  // namespace convlab
