// tests/io/test_plot.cpp: drawing (text, lines, montage) and line plots (axes, ticks, files).
#include "io/plot.hpp"

#include <cmath>

#include "io/draw.hpp"
#include "io/font.hpp"
#include "io/image.hpp"
#include "tests/io/scratch_dir.hpp"
#include "tests/support/check.hpp"

using namespace convlab;

namespace {

// Value of channel c at (row, col).
float px(const Tensor& image, int64_t c, int64_t row, int64_t col) {
    return image.data()[(c * image.dim(-2) + row) * image.dim(-1) + col];
}

int64_t count_not_white(const Tensor& rgb) {
    int64_t n = 0;
    for (int64_t i = 0; i < rgb.dim(1); ++i)
        for (int64_t j = 0; j < rgb.dim(2); ++j)
            n += px(rgb, 0, i, j) != 1.0f || px(rgb, 1, i, j) != 1.0f || px(rgb, 2, i, j) != 1.0f;
    return n;
}

}  // namespace

// ---- drawing ---------------------------------------------------------------------------------------------

TEST_CASE("text size and glyph pixels" * doctest::test_suite("io.draw")) {
    CHECK(text_width("ab") == 11);  // 2 glyphs of 5 with 1 blank column between
    CHECK(text_width("ab\nxyz") == 17);
    CHECK(text_width("ab", 2) == 22);
    CHECK(text_height("a") == kGlyphHeight);
    CHECK(text_height("a\nb") == kLineHeight + kGlyphHeight);
    // 'I': top row .###. and second row ..#..
    CHECK(glyph_pixel('I', 0, 1));
    CHECK_FALSE(glyph_pixel('I', 0, 0));
    CHECK(glyph_pixel('I', 1, 2));
    CHECK_FALSE(glyph_pixel('I', 1, 1));
    CHECK(glyph_pixel('\x01', 0, 1) == glyph_pixel('?', 0, 1));  // unknown characters draw as '?'
    CHECK_FALSE(glyph_pixel('I', kGlyphHeight, 2));              // outside the box: paper

    Tensor image = Tensor::ones({1, 12, 8});
    draw_text(image, 1, 2, "I", 0, 0, 0);
    CHECK(px(image, 0, 2, 1) == 1.0f);
    CHECK(px(image, 0, 2, 2) == 0.0f);
    CHECK(px(image, 0, 2, 4) == 0.0f);
    CHECK(px(image, 0, 2, 5) == 1.0f);
    CHECK(px(image, 0, 3, 3) == 0.0f);
    CHECK(px(image, 0, 3, 2) == 1.0f);
    Tensor grey = Tensor::zeros({1, 12, 8});
    draw_text(grey, 1, 2, "I", 1, 0, 0);  // red on grey: its luma
    CHECK(px(grey, 0, 2, 2) == doctest::Approx(0.299));
}

TEST_CASE("upward text: the glyph turned a quarter counter-clockwise" * doctest::test_suite("io.draw")) {
    Tensor image = Tensor::ones({3, 12, 12});
    draw_text_up(image, 0, 10, "I", Rgb{0, 0, 0});
    // 'I' row 0 (.###.) becomes column 0, read upwards from y = 10: rows 9 (paper), 8, 7, 6 (ink), 5 (paper).
    CHECK(px(image, 0, 9, 0) == 1.0f);
    CHECK(px(image, 0, 8, 0) == 0.0f);
    CHECK(px(image, 0, 6, 0) == 0.0f);
    CHECK(px(image, 0, 5, 0) == 1.0f);
    CHECK(px(image, 0, 7, 1) == 0.0f);  // row 1 (..#..) -> column 1, at u = 2
    CHECK(px(image, 0, 8, 1) == 1.0f);
}

TEST_CASE("anti-aliased line: full coverage on the line, half at the round ends" * doctest::test_suite("io.draw")) {
    Tensor image = Tensor::ones({1, 5, 12});
    draw_line(image, 1, 2.5, 9, 2.5, Rgb{0, 0, 0}, 1.0);
    // coverage = clamp(width / 2 + 0.5 - distance, 0, 1): 1 on row 2 between the ends, 0.5 half a pixel
    // beyond them, 0 one row away.
    for (int j = 1; j <= 8; ++j) CHECK(px(image, 0, 2, j) == 0.0f);
    CHECK(px(image, 0, 2, 0) == 0.5f);
    CHECK(px(image, 0, 2, 9) == 0.5f);
    CHECK(px(image, 0, 2, 10) == 1.0f);
    for (int j = 0; j < 12; ++j) CHECK((px(image, 0, 1, j) == 1.0f && px(image, 0, 3, j) == 1.0f));
}

TEST_CASE("polyline: a NaN point breaks the line; clip and borders hold" * doctest::test_suite("io.draw")) {
    Tensor image = Tensor::ones({1, 3, 14});
    draw_polyline(image, {0, 4, NAN, 9, 13}, {1.5, 1.5, 1.5, 1.5, 1.5}, Rgb{0, 0, 0}, 1.0, {0, 0, 14, 3});
    CHECK(px(image, 0, 1, 2) == 0.0f);
    CHECK(px(image, 0, 1, 6) == 1.0f);  // between 4 and 9: no segment
    CHECK(px(image, 0, 1, 11) == 0.0f);
    Tensor clipped = Tensor::ones({1, 3, 14});
    draw_polyline(clipped, {0, 13}, {1.5, 1.5}, Rgb{0, 0, 0}, 1.0, {5, 0, 3, 3});  // only columns 5..7
    CHECK(px(clipped, 0, 1, 4) == 1.0f);
    CHECK(px(clipped, 0, 1, 5) == 0.0f);
    CHECK(px(clipped, 0, 1, 8) == 1.0f);
    // far outside, huge or infinite coordinates: nothing drawn, nothing broken
    Tensor untouched = Tensor::ones({1, 3, 14});
    draw_polyline(untouched, {-1e300, 1e300, INFINITY}, {-5, -5, 1}, Rgb{0, 0, 0}, 2.0, {0, 0, 14, 3});
    CHECK(untouched.values() == std::vector<float>(42, 1.0f));
    CHECK_THROWS_WITH_AS(draw_polyline(image, {0, 1}, {0}, Rgb{}, 1, {0, 0, 1, 1}),
                         "draw_polyline: 2 x values but 1 y values", Error);
}

TEST_CASE("rectangles and discs, clipped at the image border" * doctest::test_suite("io.draw")) {
    Tensor image = Tensor::ones({1, 5, 5});
    fill_rect(image, {-2, -2, 4, 4}, Rgb{0, 0, 0});
    CHECK(image.values() == std::vector<float>{0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                                               1, 1});
    Tensor disc = Tensor::ones({1, 11, 11});
    fill_circle(disc, 5.5, 5.5, 2.0, Rgb{0, 0, 0}, {0, 0, 11, 11});
    // coverage = clamp(radius + 0.5 - distance of the pixel centre, 0, 1)
    CHECK(px(disc, 0, 5, 5) == 0.0f);  // distance 0
    CHECK(px(disc, 0, 5, 6) == 0.0f);  // distance 1: coverage 1
    CHECK(px(disc, 0, 5, 7) == 0.5f);  // distance 2: coverage 0.5
    CHECK(px(disc, 0, 5, 8) == 1.0f);  // distance 3: untouched
    Tensor strided = Tensor::ones({1, 4, 6}).transpose(1, 2);
    CHECK_THROWS_WITH_AS(draw_text(strided, 0, 0, "x", 0, 0, 0),
                         "draw_text: the image must be contiguous to be drawn on, got a strided view of (1, 6, 4)",
                         Error);
}

TEST_CASE("make_grid: cells, placement, captions, labels" * doctest::test_suite("io.draw")) {
    const Tensor a = Tensor::full({1, 2, 3}, 0.5f), b = Tensor::full({3, 4, 2}, 0.25f);
    // cells of 3 x 4 (the widest, the tallest) with 1 pixel of padding: 1 + 2 * (3 + 1) by 1 + (4 + 1)
    const Tensor grid = make_grid({a, b}, 2, {}, 1);
    CHECK(grid.shape() == Shape{3, 6, 9});
    CHECK(count_not_white(grid) == 6 + 8);
    // a stands at the bottom of cell 0 (rows 3..4, columns 1..3), grey copied into R, G and B
    CHECK(px(grid, 0, 3, 1) == 0.5f);
    CHECK(px(grid, 2, 4, 3) == 0.5f);
    CHECK(px(grid, 0, 2, 1) == 1.0f);
    // b fills cell 1's height (rows 1..4), centred across it: columns 5 + (3 - 2) / 2 = 5..6
    CHECK(px(grid, 1, 1, 5) == 0.25f);
    CHECK(px(grid, 1, 4, 6) == 0.25f);
    CHECK(px(grid, 1, 1, 7) == 1.0f);

    GridOptions options;
    options.cols = 1;
    options.captions = {"a", "b"};
    options.row_labels = {"first", "second"};
    options.scale = 2;
    const Tensor captioned = make_grid({a, b}, options);
    // label column: text_width("second") + pad + 4 = 41; cells: a doubled is 6 wide, b doubled 8 tall, and
    // the captions (5 wide) fit; under each cell a caption band of kGlyphHeight + 3
    CHECK(captioned.dim(2) == 41 + 6 + 2 * 2);
    CHECK(captioned.dim(1) == 2 * (8 + kGlyphHeight + 3 + 2) + 2);
    CHECK(count_not_white(captioned) > 6 * 4 + 8 * 4);  // the images (scaled) and ink

    CHECK_THROWS_WITH_AS(make_grid({a, b}, 2, {"only one"}), "make_grid: 2 images but 1 captions", Error);
    CHECK_THROWS_WITH_AS(make_grid({a, Tensor::zeros({2, 2, 2})}, 2),
                         "make_grid: image 1: expected (C, H, W) with C = 1 or 3, or (H, W), got (2, 2, 2)", Error);
    CHECK_THROWS_WITH_AS(make_grid({}, 2), "make_grid: no images", Error);
}

// ---- plots -----------------------------------------------------------------------------------------------

TEST_CASE("format_tick: decimals from the step, exponents for extremes" * doctest::test_suite("io.plot")) {
    CHECK(format_tick(0.4, 0.2) == "0.4");
    CHECK(format_tick(1500, 500) == "1500");
    CHECK(format_tick(0.05, 0.01) == "0.05");
    CHECK(format_tick(-0.0, 0.2) == "0.0");
    CHECK(format_tick(1e-17, 0.1) == "0.0");  // 3 * 0.1 - 0.3 and friends
    CHECK(format_tick(1e-5, 1e-5) == "1e-5");
    CHECK(format_tick(2.5e6, 5e5) == "2.5e6");
    CHECK(format_tick(-20, 10) == "-20");
}

TEST_CASE("make_axis: round ticks inside a range widened by 4%" * doctest::test_suite("io.plot")) {
    const Axis unit = make_axis(0, 1, false, 6);  // step nice(1.08 / 6 = 0.18) = 0.2
    CHECK(unit.lo == doctest::Approx(-0.04));
    CHECK(unit.hi == doctest::Approx(1.04));
    CHECK(unit.labels == std::vector<std::string>{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"});
    CHECK(unit.ticks[5] == doctest::Approx(1.0));

    const Axis steps = make_axis(0, 2000, false, 9);  // nice(2160 / 9 = 240) = 500
    CHECK(steps.labels == std::vector<std::string>{"0", "500", "1000", "1500", "2000"});

    const Axis one = make_axis(5, 5, false, 5);  // a single value is shown in the middle
    CHECK(one.lo < 5);
    CHECK(one.hi > 5);
    CHECK(std::find(one.labels.begin(), one.labels.end(), "5.0") != one.labels.end());
}

TEST_CASE("make_axis on log10 data: powers of ten, or 1-2-5 over few decades" * doctest::test_suite("io.plot")) {
    const Axis wide = make_axis(-3, 1, true, 8);  // data from 0.001 to 10
    CHECK(wide.labels == std::vector<std::string>{"0.001", "0.01", "0.1", "1", "10"});
    CHECK(wide.ticks == std::vector<double>{-3, -2, -1, 0, 1});
    const Axis sparse = make_axis(-8, 8, true, 5);  // 17 decades, at most 5 ticks: every 4th decade
    CHECK(sparse.labels == std::vector<std::string>{"1e-8", "0.0001", "1", "10000", "1e8"});
    const Axis narrow = make_axis(std::log10(0.02), std::log10(3.0), true, 8);
    CHECK(narrow.labels == std::vector<std::string>{"0.02", "0.05", "0.1", "0.2", "0.5", "1", "2"});
    CHECK(narrow.ticks[1] == doctest::Approx(std::log10(0.05)));
}

TEST_CASE("save_line_plot writes a PNG of the requested size with the curves on it" * doctest::test_suite("io.plot")) {
    const std::string dir = testing::scratch_dir("plot");
    Series loss{"loss", {}, {}};
    for (int i = 0; i <= 50; ++i) {
        loss.x.push_back(i);
        loss.y.push_back(std::exp(-i / 10.0));
    }
    PlotOptions options{"Loss", "step", "loss", /*log_y=*/true};
    options.width = 320;
    options.height = 240;
    save_line_plot(dir + "/loss.png", {loss}, options);
    const Tensor image = load_image(dir + "/loss.png");
    CHECK(image.shape() == Shape{3, 240, 320});
    CHECK(count_not_white(image) > 1000);
    // the first series is drawn in blue (0.12, 0.44, 0.71): some pixel has exactly that colour
    bool blue = false;
    for (int64_t i = 0; i < 240 && !blue; ++i)
        for (int64_t j = 0; j < 320 && !blue; ++j)
            blue = std::lround(px(image, 0, i, j) * 255) == std::lround(0.12 * 255) &&
                   std::lround(px(image, 1, i, j) * 255) == std::lround(0.44 * 255) &&
                   std::lround(px(image, 2, i, j) * 255) == std::lround(0.71 * 255);
    CHECK(blue);
}

TEST_CASE("plot: the legend goes to the corner the curves leave empty" * doctest::test_suite("io.plot")) {
    // A ROC-like curve hugging the top-left: the legend box (border grey 0.75) belongs bottom-right.
    const Series roc{"model", {0, 0.01, 0.05, 0.2, 1}, {0, 0.8, 0.95, 0.99, 1}};
    PlotOptions options{"ROC", "false positive rate", "true positive rate"};
    options.diagonal = true;
    const Tensor image = render_line_plot({roc}, options);
    int64_t border[2][2] = {{0, 0}, {0, 0}};  // [bottom?][right?]
    for (int64_t i = 0; i < image.dim(1); ++i)
        for (int64_t j = 0; j < image.dim(2); ++j)
            if (px(image, 0, i, j) == 0.75f && px(image, 1, i, j) == 0.75f && px(image, 2, i, j) == 0.75f)
                ++border[2 * i >= image.dim(1)][2 * j >= image.dim(2)];
    CHECK(border[1][1] > 50);
    CHECK(border[0][0] + border[0][1] + border[1][0] == 0);
}

TEST_CASE("plot errors name the problem" * doctest::test_suite("io.plot")) {
    PlotOptions options{"T"};
    CHECK_THROWS_WITH_AS(render_line_plot({{"bad", {1, 2}, {1}}}, options),
                         "render_line_plot(T): series 'bad' has 2 x values but 1 y values", Error);
    CHECK_THROWS_WITH_AS(render_line_plot({{"nan", {NAN}, {1}}}, options),
                         "render_line_plot(T): no finite point to plot", Error);
    options.log_y = true;
    CHECK_THROWS_WITH_AS(render_line_plot({{"neg", {1, 2}, {0, -1}}}, options),
                         "render_line_plot(T): no finite point to plot (a log axis shows only y > 0)", Error);
    CHECK_THROWS_WITH_AS(render_line_plot({}, options), "render_line_plot(T): no series to plot", Error);
    options.width = 100;
    CHECK_THROWS_WITH_AS(render_line_plot({{"a", {1}, {1}}}, options),
                         "render_line_plot: size must be within 200..8192 x 150..8192 pixels, got 100 x 420", Error);
}
