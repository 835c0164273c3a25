// tests/app/test_demo_report.cpp
//
// The report `make demo` writes (tests/tools/demo_index.sh -> out/index.html): one section per chapter run
// with its metrics and figures. Rendered in headless Chromium when it is installed (Debian: chromium), the
// page's own check must find every figure loaded, and must notice a missing one.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "app/metrics.hpp"
#include "io/atomic_file.hpp"
#include "io/image.hpp"
#include "tests/support/check.hpp"

namespace fs = std::filesystem;
using namespace convlab;

namespace {

const char* kChromium = "/usr/bin/chromium";

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

}  // namespace

TEST_CASE("demo report: every chapter's metrics and figures, all loading in Chromium" *
          doctest::test_suite("app.demo_report")) {
    const fs::path scratch = fs::temp_directory_path() / ("convlab_report_" + std::to_string(::getpid()));
    const fs::path out = scratch / "out";
    Rng rng(1);
    for (const std::string chapter : {"03_triplet_loss", "10_conv1d_ecg"}) {
        fs::create_directories(out / chapter);
        save_png((out / chapter / "roc.png").string(), Tensor::rand({3, 20, 30}, rng));
        app::Metrics metrics;
        metrics.set("test_accuracy", 0.875);
        metrics.set("data", "synthetic <faces>");
        metrics.write((out / chapter).string());
    }
    REQUIRE(std::system(("tests/tools/demo_index.sh " + out.string() + " > /dev/null").c_str()) == 0);
    const std::string html = read_file((out / "index.html").string());
    CHECK(html.find("<section id=\"03_triplet_loss\">") != std::string::npos);
    CHECK(html.find("<section id=\"10_conv1d_ecg\">") != std::string::npos);
    CHECK(html.find("<td>test_accuracy</td><td>0.875</td>") != std::string::npos);
    CHECK(html.find("synthetic &lt;faces&gt;") != std::string::npos);  // escaped
    CHECK(html.find("<img src=\"10_conv1d_ecg/roc.png\"") != std::string::npos);

    if (!fs::exists(kChromium)) {
        MESSAGE("Chromium is not installed (apt-get install chromium): the page was not rendered");
    } else {
        CHECK(loaded_images(out / "index.html", scratch) == std::pair<int, int>{2, 2});
        fs::remove(out / "03_triplet_loss" / "roc.png");  // the check must notice a missing figure
        CHECK(loaded_images(out / "index.html", scratch) == std::pair<int, int>{1, 2});
    }
    fs::remove_all(scratch);
}
