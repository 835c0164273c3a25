// data/convert_face_models.cpp
//
// face-api's pretrained networks (tfjs weights) -> convlab checkpoints. `make face-models` runs it on the
// model/ folder of the npm package @vladmandic/face-api (docs/face-models.md).
//
//   build/bin/convert_face_models MODEL_DIR OUT_DIR     convert the three networks
//   build/bin/convert_face_models --check OUT_DIR       exit 0 if OUT_DIR holds the three, each a valid checkpoint
//
// For each network <name> (face_recognition, face_landmark_68, ssd_mobilenetv1): MODEL_DIR/<name>_model-
// weights_manifest.json and the .bin it names -> OUT_DIR/<name>.ckpt, the tensors under their tfjs names,
// dequantised, filters in convlab's (out, in, kh, kw) layout (io/tfjs_weights.hpp).
#include <cstdio>
#include <filesystem>
#include <string>

#include "app/main_guard.hpp"
#include "core/error.hpp"
#include "face/pretrained/models.hpp"
#include "io/checkpoint.hpp"
#include "io/tfjs_weights.hpp"

using namespace convlab;

namespace {

const char* kUsage =
    "usage: convert_face_models MODEL_DIR OUT_DIR      (face-api's model/ folder -> OUT_DIR/<network>.ckpt)\n"
    "       convert_face_models --check OUT_DIR        (exit 0 if the three checkpoints are there and valid)\n";

int64_t parameter_count(const NamedTensors& tensors) {
    int64_t n = 0;
    for (const auto& [name, t] : tensors) n += t.numel();
    return n;
}

// Each network's checkpoint must load (magic, sizes, CRC-32) and hold at least one tensor.
int check_models(const std::string& dir) {
    for (const std::string& name : face_model_names()) {
        const std::string path = face_model_path(dir, name);
        check(std::filesystem::is_regular_file(path), path, ": missing (run make face-models)");
        const NamedTensors tensors = load_checkpoint(path);
        check(!tensors.empty(), path, ": expected the tensors of ", name, ", found none");
        std::printf("%-17s %4zu tensors %9lld parameters  %s: valid\n", name.c_str(), tensors.size(),
                    static_cast<long long>(parameter_count(tensors)), path.c_str());
    }
    return 0;
}

int convert(const std::string& model_dir, const std::string& out_dir) {
    std::filesystem::create_directories(out_dir);
    for (const std::string& name : face_model_names()) {
        const std::string manifest = model_dir + "/" + name + "_model-weights_manifest.json";
        const NamedTensors tensors = load_tfjs_weights(manifest);
        const std::string out = face_model_path(out_dir, name);
        save_checkpoint(out, tensors);
        std::printf("%-17s %4zu tensors %9lld parameters  -> %s\n", name.c_str(), tensors.size(),
                    static_cast<long long>(parameter_count(tensors)), out.c_str());
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return app::guarded_main("convert_face_models", [&] {
        const std::string first = argc > 1 ? argv[1] : "";
        if (argc == 2 && (first == "--help" || first == "-h")) {
            std::fputs(kUsage, stdout);
            return 0;
        }
        check(argc == 3, "expected 2 arguments (MODEL_DIR OUT_DIR, or --check OUT_DIR), found ", argc - 1,
              " (--help for usage)");
        if (first == "--check") return check_models(argv[2]);
        return convert(first, argv[2]);
    });
}
