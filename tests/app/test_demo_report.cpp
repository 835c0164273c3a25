// tests/app/test_demo_report.cpp
//
// The report `make demo` writes (build/bin/demo_report, tests/tools/demo_report.cpp -> out/index.html): one
// section per chapter run with its metrics and figures. On small fixture folders: every value whole, numbers
// to 4 significant digits, every figure captioned and shown once, small figures scaled up; a broken
// metrics.json stops it with one line and no page. Rendered in headless Chromium when it is installed
// (Debian: chromium), the page's own check must find every figure loaded, and must notice a missing one.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "io/atomic_file.hpp"
#include "io/image.hpp"
#include "tests/support/check.hpp"

namespace fs = std::filesystem;
using namespace convlab;

namespace {

const char* kChromium = "/usr/bin/chromium";

// Runs build/bin/demo_report --out OUT (the chapters' READMEs from the source tree); its output goes to log.
int run_report(const fs::path& out, const fs::path& log) {
    const fs::path program = fs::read_symlink("/proc/self/exe").parent_path() / "demo_report";
    const std::string cmd = "'" + program.string() + "' --out '" + out.string() + "' --chapters chapters > '" +
                            log.string() + "' 2>&1";
    return WEXITSTATUS(std::system(cmd.c_str()));
}

// Two chapter runs as the programs leave them, and one with a figure the captions table does not know.
//   03_triplet_loss: metrics with long floats, a string with commas, a nested object; roc.png 30 x 20 (small),
//                    loss.png 600 x 100
//   06_nst_cost_function: frame_0005.png, frame_0010.png (and no frames.png, the grid that would hold them)
//   07_content_cost: reconstructions.png, and from_k3@1.png, one of its images
//   09_neural_style_transfer: result.png, and frame_0040.png with the same bytes
//   10_conv1d_ecg: mystery.png, no metrics.json
void write_fixture(const fs::path& out) {
    Rng rng(1);
    fs::create_directories(out / "03_triplet_loss");
    fs::create_directories(out / "06_nst_cost_function");
    fs::create_directories(out / "07_content_cost");
    fs::create_directories(out / "09_neural_style_transfer");
    fs::create_directories(out / "10_conv1d_ecg");
    write_file_atomic((out / "03_triplet_loss" / "metrics.json").string(), R"json({
  "program": "03_triplet_loss",
  "raw_pixels.rank1": 0.35000000000000003,
  "hard.eer": 0.30000000000000004,
  "J_style_final": 2.1206302e-05,
  "ms_per_photo": 14.551249199999997,
  "seed": 123456,
  "data": "synthetic faces (procedural, seed 2024, 24 people x 6 photos)",
  "note": "synthetic <faces> & co",
  "converged": true,
  "J_nan": null,
  "curve": [0.12345678, 2, 1e-10],
  "options": {"lr": 0.0030000000000000001, "mining": "random,hard", "layers": ["k3@1", "k11@8"]}
})json");
    save_png((out / "03_triplet_loss" / "roc.png").string(), Tensor::rand({3, 20, 30}, rng));
    save_png((out / "03_triplet_loss" / "loss.png").string(), Tensor::rand({1, 100, 600}, rng));
    save_png((out / "07_content_cost" / "reconstructions.png").string(), Tensor::rand({3, 24, 100}, rng));
    save_png((out / "07_content_cost" / "from_k3@1.png").string(), Tensor::rand({3, 24, 32}, rng));
    const Tensor G = Tensor::rand({3, 24, 32}, rng);
    save_png((out / "09_neural_style_transfer" / "result.png").string(), G);
    save_png((out / "09_neural_style_transfer" / "frame_0040.png").string(), G);
    save_png((out / "06_nst_cost_function" / "frame_0005.png").string(), Tensor::rand({3, 24, 32}, rng));
    save_png((out / "06_nst_cost_function" / "frame_0010.png").string(), Tensor::rand({3, 24, 32}, rng));
    save_png((out / "10_conv1d_ecg" / "mystery.png").string(), Tensor::rand({1, 40, 40}, rng));
}

// Every match of group 1 of `pattern` in `text`.
std::vector<std::string> all_matches(const std::string& text, const std::string& pattern) {
    std::vector<std::string> found;
    const std::regex re(pattern);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
        found.push_back((*it)[1]);
    return found;
}

// Significant digits of a number written with a point or an exponent: "0.3500" -> 4, "2.121e-05" -> 4.
int significant_digits(const std::string& number) {
    const std::string mantissa = number.substr(0, number.find_first_of("eE"));
    std::string digits;
    for (const char c : mantissa)
        if (c >= '0' && c <= '9' && !(digits.empty() && c == '0')) digits += c;
    return static_cast<int>(digits.size());
}

// data-images-loaded and data-images-total of the rendered page's <body>.
std::pair<int, int> loaded_images(const fs::path& page, const fs::path& scratch) {
    const fs::path dom = scratch / "dom.html";
    const std::string cmd = std::string("timeout 120 ") + kChromium +
                            " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                            " --disable-background-networking --disable-component-update --disable-sync"
                            " --user-data-dir=" + (scratch / "profile").string() + " --dump-dom 'file://" +
                            page.string() + "' > " + dom.string() + " 2> /dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
    const std::string html = read_file(dom.string());
    std::smatch m;
    REQUIRE_MESSAGE(std::regex_search(html, m, std::regex("data-images-loaded=\"(\\d+)\" data-images-total=\"(\\d+)\"")),
                    "the page's image check did not run");
    return {std::stoi(m[1]), std::stoi(m[2])};
}

struct Scratch {
    fs::path dir = fs::temp_directory_path() / ("convlab_report_" + std::to_string(::getpid()));
    fs::path out = dir / "out";
    Scratch() { write_fixture(out); }
    ~Scratch() { fs::remove_all(dir); }
};

}  // namespace

TEST_CASE("demo report: whole values, 4 significant digits, each figure captioned once, small ones scaled" *
          doctest::test_suite("app.demo_report")) {
    const Scratch s;
    REQUIRE(run_report(s.out, s.dir / "log.txt") == 0);
    const std::string html = read_file((s.out / "index.html").string());
    CHECK(html.find("<section id=\"03_triplet_loss\"><h2>03 Triplet loss") != std::string::npos);  // README title
    CHECK(html.find("<section id=\"09_neural_style_transfer\">") != std::string::npos);
    CHECK(html.find("<section id=\"10_conv1d_ecg\">") != std::string::npos);
    CHECK(html.find("no metrics.json") != std::string::npos);

    // every value whole (no cut at a comma), escaped; numbers rounded; objects as dotted keys
    auto row = [&](const std::string& key, const std::string& value) {
        CAPTURE(key);
        CHECK(html.find("<tr><td>" + key + "</td><td>" + value + "</td></tr>") != std::string::npos);
    };
    row("program", "03_triplet_loss");
    row("data", "synthetic faces (procedural, seed 2024, 24 people x 6 photos)");
    row("note", "synthetic &lt;faces&gt; &amp; co");
    row("raw_pixels.rank1", "0.35");
    row("hard.eer", "0.3");
    row("J_style_final", "2.121e-05");
    row("ms_per_photo", "14.55");
    row("seed", "123456");  // whole numbers in full
    row("converged", "true");
    row("J_nan", "null");
    row("curve", "[0.1235, 2, 1e-10]");
    row("options.lr", "0.003");
    row("options.mining", "random,hard");
    row("options.layers", "[k3@1, k11@8]");
    // no number with a point or an exponent carries more than 4 significant digits
    for (const std::string& cell : all_matches(html, "<td>([^<]*)</td>"))
        for (const std::string& number : all_matches(cell, "([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)"))
            if (number.find_first_of(".eE") != std::string::npos) {
                CAPTURE(cell);
                CHECK(significant_digits(number) <= 4);
            }

    // every figure has a caption; the unknown one a generic caption naming it
    const std::vector<std::string> figures = all_matches(html, "<figure>([\\s\\S]*?)</figure>");
    CHECK(figures.size() == 6);  // roc, loss; the strip of frame_0005 and frame_0010; reconstructions; result; mystery
    for (const std::string& f : figures) {
        CAPTURE(f);
        std::smatch m;
        REQUIRE(std::regex_search(f, m, std::regex("<figcaption><code>[^<]+</code>: ([^<]+)</figcaption>")));
        CHECK(m[1].length() > 20);
    }
    CHECK(html.find("<code>mystery.png</code>: A figure written by 10_conv1d_ecg") != std::string::npos);

    // no figure twice: no src twice, no two shown files with the same bytes; the left-out one is named
    const std::vector<std::string> srcs = all_matches(html, "<img src=\"([^\"]+)\"");
    CHECK(srcs.size() == 7);
    std::set<std::string> files, contents;
    for (const std::string& src : srcs) {
        files.insert(src);
        contents.insert(read_file((s.out / src).string()));
    }
    CHECK(files.size() == srcs.size());
    CHECK(contents.size() == srcs.size());
    CHECK(files.count("09_neural_style_transfer/result.png") == 1);
    CHECK(files.count("09_neural_style_transfer/frame_0040.png") == 0);
    CHECK(html.find("saved as frame_0040.png") != std::string::npos);
    CHECK(files.count("06_nst_cost_function/frame_0005.png") == 1);
    CHECK(html.find("<br>5</span>") != std::string::npos);  // the strip labels each frame with its number
    CHECK(html.find("<br>10</span>") != std::string::npos);
    CHECK(files.count("07_content_cost/from_k3@1.png") == 0);  // in reconstructions.png, which says so
    CHECK(html.find("also saved one by one: from_k3@1.png") != std::string::npos);

    // small figures k times larger, pixels square; large ones as they are
    // roc.png: 30 x 20, k = ceil(512 / 30) = 18, at most 6; reconstructions.png: 100 x 24, k = ceil(512 / 100)
    CHECK(html.find("<img src=\"03_triplet_loss/roc.png\" alt=\"roc.png\" width=\"180\" height=\"120\" "
                    "class=\"px\">") != std::string::npos);
    CHECK(html.find("alt=\"reconstructions.png\" width=\"600\" height=\"144\" class=\"px\">") != std::string::npos);
    CHECK(html.find("<img src=\"03_triplet_loss/loss.png\" alt=\"loss.png\" width=\"600\" height=\"100\">") !=
          std::string::npos);

    if (!fs::exists(kChromium)) {
        MESSAGE("Chromium is not installed (apt-get install chromium): the page was not rendered");
    } else {
        CHECK(loaded_images(s.out / "index.html", s.dir) == std::pair<int, int>{7, 7});
        fs::remove(s.out / "03_triplet_loss" / "roc.png");  // the check must notice a missing figure
        CHECK(loaded_images(s.out / "index.html", s.dir) == std::pair<int, int>{6, 7});
    }
}

TEST_CASE("demo report: a broken metrics.json stops it with one line naming the file, and no page" *
          doctest::test_suite("app.demo_report")) {
    const Scratch s;
    write_file_atomic((s.out / "10_conv1d_ecg" / "metrics.json").string(), "{\"accuracy\": 0.9,}");
    CHECK(run_report(s.out, s.dir / "log.txt") == 1);
    const std::string log = read_file((s.dir / "log.txt").string());
    CHECK(log.find("demo_report: error: " + (s.out / "10_conv1d_ecg" / "metrics.json").string() + ":1:") == 0);
    CHECK(std::count(log.begin(), log.end(), '\n') == 1);
    CHECK(!fs::exists(s.out / "index.html"));

    CHECK(run_report(s.dir / "missing", s.dir / "log.txt") == 1);
    CHECK(read_file((s.dir / "log.txt").string()).find("--out " + (s.dir / "missing").string() + ": no such folder") !=
          std::string::npos);
}
