// tests/nets/test_export_vgg19.cpp: data/export_vgg19.py --from, what runs without torch: a missing file and a
// file that is not a .pth stop with one line and write nothing; the check of a state dict's keys and shapes
// (check_state_dict) accepts torchvision's vgg19() layout and names the first wrong tensor. Skipped where no
// python3 is on PATH. Run from the repository's root, as make test does.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "io/atomic_file.hpp"
#include "tests/support/check.hpp"

namespace fs = std::filesystem;
using namespace convlab;

namespace {

struct Result {
    int status;
    std::string output;  // stdout and stderr
};

Result sh(const std::string& command) {
    const std::string log = (fs::temp_directory_path() / ("convlab_export_" + std::to_string(::getpid()))).string();
    const int raw = std::system((command + " > '" + log + "' 2>&1").c_str());
    Result r{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_file(log)};
    fs::remove(log);
    return r;
}

bool have_python() { return std::system("command -v python3 > /dev/null 2>&1") == 0; }

// python3 -c "<code>" with data/ importable, the code seeing the module as e.
Result python(const std::string& code) {
    return sh("python3 -c \"import sys; sys.path.insert(0, 'data'); import export_vgg19 as e; " + code + "\"");
}

// The shapes of torchvision's vgg19().state_dict() as a Python dict literal, with `prefix` on every key and
// the weight of `wrong` (an index, -1: none) given the shape (3, 3, 3, 3).
std::string vgg_shapes(const std::string& prefix, int wrong) {
    const int convs[5] = {2, 2, 4, 4, 4}, widths[5] = {64, 128, 256, 512, 512};
    std::string d = "{";
    int index = 0, channels = 3;
    for (int b = 0; b < 5; ++b) {
        for (int c = 0; c < convs[b]; ++c) {
            const std::string w = index == wrong ? "(3, 3, 3, 3)"
                                                 : "(" + std::to_string(widths[b]) + ", " + std::to_string(channels) + ", 3, 3)";
            d += "'" + prefix + std::to_string(index) + ".weight': " + w + ", '" + prefix + std::to_string(index) +
                 ".bias': (" + std::to_string(widths[b]) + ",), ";
            channels = widths[b];
            index += 2;
        }
        ++index;
    }
    return d + "'classifier.0.weight': (4096, 25088)}";
}

}  // namespace

TEST_CASE("export_vgg19.py --from: a missing or non-.pth file is one line, nothing written" *
          doctest::test_suite("nets.export_vgg19")) {
    if (!have_python()) {
        MESSAGE("no python3 on PATH: skipped");
        return;
    }
    const fs::path dir = fs::temp_directory_path() / ("convlab_export_dir_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "notes.pth") << "not a checkpoint\n";
    const std::string out = (dir / "vgg19.weights").string();
    Result r = sh("python3 data/export_vgg19.py --from /no/such/vgg19.pth --out " + out);
    CHECK(r.status == 1);
    CHECK(r.output == "export_vgg19: --from /no/such/vgg19.pth: no such file\n");
    r = sh("python3 data/export_vgg19.py --from " + (dir / "notes.pth").string() + " --out " + out);
    CHECK(r.status == 1);
    CHECK(r.output.find("notes.pth: not a PyTorch .pth file (expected a zip archive, starts with b'not ')\n") !=
          std::string::npos);
    r = sh("python3 data/export_vgg19.py --from " + (dir / "notes.pth").string() + " --out /no/such/dir/v.weights");
    CHECK(r.output.find("--out /no/such/dir/v.weights: folder /no/such/dir does not exist") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
    fs::remove_all(dir);
}

TEST_CASE("export_vgg19.py: check_state_dict maps torchvision's keys and names the first wrong tensor" *
          doctest::test_suite("nets.export_vgg19")) {
    if (!have_python()) {
        MESSAGE("no python3 on PATH: skipped");
        return;
    }
    // the full model's keys and the features' own keys give the same 32 tensors, in convlab's names
    Result r = python("w = e.check_state_dict(" + vgg_shapes("features.", -1) +
                      ", 'f'); print(len(w), w[0], w[5], w[31])");
    CHECK(r.output == "32 ('conv1_1.weight', 'features.0.weight') ('conv2_1.bias', 'features.5.bias') "
                      "('conv5_4.bias', 'features.34.bias')\n");
    r = python("w = e.check_state_dict(" + vgg_shapes("", -1) + ", 'f'); print(len(w), w[31])");
    CHECK(r.output == "32 ('conv5_4.bias', '34.bias')\n");
    // conv3_1 (index 10) misshapen; conv1_1's weight missing
    r = python("e.check_state_dict(" + vgg_shapes("features.", 10) + ", 'x.pth')");
    CHECK(r.status != 0);
    CHECK(r.output.find("ValueError: x.pth: not VGG-19 weights: 'features.10.weight' has shape (3, 3, 3, 3), "
                        "expected (256, 128, 3, 3)") != std::string::npos);
    r = python("e.check_state_dict({'fc.weight': (10, 512)}, 'resnet.pth')");
    CHECK(r.output.find("resnet.pth: not VGG-19 weights: no tensor '0.weight'") != std::string::npos);
}
