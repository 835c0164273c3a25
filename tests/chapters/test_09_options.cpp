// tests/chapters/test_09_options.cpp: the style-transfer programs' options, run as a user runs them: --output
// writes exactly that file, --alpha/--beta and their aliases, several content layers, --init-image, the style
// blend in metrics.json, the progress line; bad values stop before any file is written. Runs at 32 px on the
// drawn pictures (the scratch folder has no ../shared/data), two iterations each. Suite ch09.integration:
// the programs need every exercise of chapters 06-08 solved.
#include <unistd.h>

#include <filesystem>

#include "data/synthetic_paintings.hpp"
#include "io/atomic_file.hpp"
#include "io/image.hpp"
#include "io/json.hpp"
#include "tests/support/check.hpp"
#include "tests/support/programs.hpp"

namespace fs = std::filesystem;
using namespace convlab;
using convlab::testing::Run;
using convlab::testing::run_program;

namespace {

// A fresh scratch folder for one test case, removed when it ends.
struct Scratch {
    fs::path dir;
    explicit Scratch(const std::string& name)
        : dir(fs::temp_directory_path() / ("convlab_nst_options_" + std::to_string(::getpid()) + "_" + name)) {
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

const std::string kSmall = " --quick --image-size 32 --iterations 2 --save-every 0 --threads 1";

// The names of the files in dir, sorted.
std::vector<std::string> files_in(const fs::path& dir) {
    std::vector<std::string> names;
    if (fs::is_directory(dir))
        for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::string metric_text(const fs::path& out, const std::string& key) {
    const std::string path = (out / "metrics.json").string();
    return parse_json(read_file(path), path).at(key).as_string();
}
double metric_number(const fs::path& out, const std::string& key) {
    const std::string path = (out / "metrics.json").string();
    return parse_json(read_file(path), path).at(key).as_number();
}

}  // namespace

TEST_CASE("09_neural_style_transfer --output writes exactly that file; metrics.json lists every style" *
          doctest::test_suite("ch09.integration")) {
    Scratch s("output");
    save_png((s.dir / "a.png").string(), draw_swirl_painting(24, 32, 1));
    save_png((s.dir / "b.png").string(), draw_swirl_painting(24, 32, 2));
    fs::create_directories(s.dir / "pictures");
    const Run r = run_program("09_neural_style_transfer",
                              kSmall + " --out run --output pictures/painted.png --style a.png,b.png --style-blend 0.7,0.3" +
                                  " --content-weight 5 --style-weight 300 --content-layers k3@1:0.25,k11@2",
                              s.dir.string());
    INFO(r.stdout << r.stderr);
    REQUIRE(r.status == 0);
    CHECK(files_in(s.dir / "pictures") == std::vector<std::string>{"painted.png"});  // no .tmp left beside it
    CHECK(files_in(s.dir / "run") == std::vector<std::string>{"metrics.json", "summary.png"});  // no result.png
    const Tensor G = load_image((s.dir / "pictures/painted.png").string(), 3);
    CHECK(G.shape() == Shape{3, 24, 32});
    const fs::path out = s.dir / "run";
    CHECK(metric_text(out, "style1.name") == "a");
    CHECK(metric_number(out, "style1.blend") == doctest::Approx(0.7));
    CHECK(metric_text(out, "style2.name") == "b");
    CHECK(metric_number(out, "style2.blend") == doctest::Approx(0.3));
    CHECK(metric_number(out, "alpha") == 5);  // --content-weight is --alpha, --style-weight is --beta
    CHECK(metric_number(out, "beta") == 300);
    CHECK(metric_text(out, "content_layers") == "k3@1:0.25,k11@2:0.75");
    CHECK(metric_text(out, "result") == "pictures/painted.png");
    CHECK(metric_text(out, "program") == "09_neural_style_transfer");
    // the progress line: iteration k/N, the costs, the rate and the time left
    CHECK(r.stdout.find("iter  2/2  100.0%") != std::string::npos);
    CHECK(r.stdout.find("ETA 0:00  J ") != std::string::npos);
    CHECK(r.stdout.find("feature network: embedded multi-scale") != std::string::npos);
}

TEST_CASE("09_neural_style_transfer --init-image starts from that picture" * doctest::test_suite("ch09.integration")) {
    Scratch s("init");
    save_png((s.dir / "start.png").string(), Tensor::full({3, 12, 16}, 0.5f));
    const Run r = run_program("09_neural_style_transfer", kSmall + " --out run --alpha 1 --beta 1 --init-image start.png",
                              s.dir.string());
    INFO(r.stdout << r.stderr);
    REQUIRE(r.status == 0);
    CHECK(metric_text(s.dir / "run", "init") == "start.png");
    CHECK(metric_number(s.dir / "run", "alpha") == 1);
}

TEST_CASE("09_neural_style_transfer --start-size: coarse-to-fine, the second solve starts from the first" *
          doctest::test_suite("ch09.integration")) {
    Scratch s("coarse");
    const Run r = run_program("09_neural_style_transfer", kSmall + " --out run --start-size 16 --start-iterations 3",
                              s.dir.string());
    INFO(r.stdout << r.stderr);
    REQUIRE(r.status == 0);
    CHECK(r.stdout.find("coarse-to-fine: 3 iterations at 16 px, then 2 at 32 px") != std::string::npos);
    CHECK(r.stdout.find("content embedded town (16x12)") != std::string::npos);
    const fs::path out = s.dir / "run";
    CHECK(metric_number(out, "start.size") == 16);
    CHECK(metric_number(out, "image_width") == 32);
    // the full-size solve starts from the coarse result, upsampled: nearer the goal than the coarse start was
    CHECK(metric_number(out, "J_first") < metric_number(out, "start.J_first"));
}

TEST_CASE("09_neural_style_transfer: bad --output, --init-image, --style-blend, --content-layers write nothing" *
          doctest::test_suite("ch09.integration")) {
    Scratch s("bad");
    save_png((s.dir / "a.png").string(), draw_swirl_painting(24, 32, 1));
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"--output painted.jpg", "--output painted.jpg: expected a file name ending in .png"},
        {"--output no/such/folder/painted.png", "--output no/such/folder/painted.png: its folder does not exist"},
        {"--init-image /no/such/start.png", "/no/such/start.png"},
        {"--style a.png,a.png --style-blend 1", "--style-blend: expected one weight per --style image (2), got 1"},
        {"--content-layers k3@1:x", "--content-layers: weight of k3@1: expected numbers, got 'x'"},
        {"--content-layers k4@1", "no layer named k4@1"},
        {"--alpha -1", "--alpha"},
        {"--start-size 32", "--start-size 32: expected 0 (off), -1 (auto) or less than --image-size 32"},
    };
    for (const auto& [args, message] : cases) {
        const Run r = run_program("09_neural_style_transfer", kSmall + " --out run " + args, s.dir.string());
        INFO(args << "\n  stderr: " << r.stderr);
        CHECK(r.status == 1);
        CHECK(r.stderr_lines() == 1);
        CHECK(r.stderr.find(message) != std::string::npos);
        CHECK_FALSE(fs::exists(s.dir / "run"));
    }
}

TEST_CASE("chapters 05-09 take data/vgg19.weights by default, --weights none the embedded network" *
          doctest::test_suite("ch09.integration")) {
    Scratch s("default_weights");
    fs::create_directories(s.dir / "data");
    write_file_atomic((s.dir / "data/vgg19.weights").string(), "not a checkpoint");  // found, then refused
    for (const std::string program : {"06_nst_cost_function", "07_content_cost", "08_style_cost",
                                      "09_neural_style_transfer", "05_what_convnets_learn"}) {
        const Run r = run_program(program, " --quick --threads 1 --out run", s.dir.string());
        INFO(program << "\n  stderr: " << r.stderr);
        CHECK(r.status == 1);
        CHECK(r.stderr.find("data/vgg19.weights") != std::string::npos);
    }
    const Run r = run_program("09_neural_style_transfer", kSmall + " --out run --weights none", s.dir.string());
    INFO(r.stderr);
    CHECK(r.status == 0);
    CHECK(r.stdout.find("feature network: embedded multi-scale") != std::string::npos);
}

TEST_CASE("06_nst_cost_function writes cost.png; 07 and 08 scale small panels to >= 512 px" *
          doctest::test_suite("ch09.integration")) {
    Scratch s("figures");
    Run r = run_program("06_nst_cost_function", " --quick --image-size 32 --iterations 4 --save-every 2 --threads 1 --out run6",
                        s.dir.string());
    INFO(r.stdout << r.stderr);
    REQUIRE(r.status == 0);
    CHECK(load_image((s.dir / "run6/cost.png").string(), 3).dim(2) == 640);
    r = run_program("07_content_cost", " --quick --image-size 32 --iterations 2 --threads 1 --out run7", s.dir.string());
    REQUIRE(r.status == 0);
    // 3 panels of 32 px: each pixel shown 6 x 6 so that 3 x 32 x 6 = 576 >= 512
    CHECK(load_image((s.dir / "run7/reconstructions.png").string(), 3).dim(2) >= 576);
    CHECK(metric_text(s.dir / "run7", "layer1.name") == "k3@1");
    r = run_program("08_style_cost", " --quick --image-size 32 --iterations 2 --threads 1 --out run8", s.dir.string());
    REQUIRE(r.status == 0);
    CHECK(load_image((s.dir / "run8/textures.png").string(), 3).dim(2) >= 576);
}
