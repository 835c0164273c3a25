// tests/bench/face.cpp -> build/bin/bench_face (run by `make bench`)
//
// The pretrained face networks (src/face/pretrained/) against face-api 1.7.15, whose networks and weights
// they run, at 1 and 2 threads (face-api on tfjs' WebAssembly backend in node: tests/bench/peer_faceapi.js):
//
//   descriptor 150x150   RecognitionNet::describe of one 150 x 150 face        faceapi.computeFaceDescriptor
//   detector 640x480     SsdDetector::detect on a 640 x 480 photo, one face    faceapi.detectAllFaces (SSD)
//   pipeline 640x480     FacePipeline::run on that photo: detector, landmarks,  detectAllFaces(SSD)
//                        alignment square, descriptor                             .withFaceLandmarks()
//                                                                                 .withFaceDescriptors()
//
// Both sides read the same pixels (bytes / 255 here, the bytes in a raw file for the peer). Prints one table
// and writes it, with the machine, the load and the targets of issue 19, as the section "Pretrained face
// pipeline" at the end of docs/benchmarks.md (bench_speed rewrites the sections before it: `make bench` runs
// this program after it); the figures also go to out/bench_face.json. Without the models it says `make face-models` and
// exits 0; without the peer (`make face-api-peer`) it times convlab alone.
//
//   build/bin/bench_face [--models DIR]         everything (~1 minute)
//   build/bin/bench_face --only descriptor      the figures whose name contains "descriptor"; no report files
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <thread>
#include <tuple>

#include "core/parallel.hpp"
#include "face/pretrained/models.hpp"
#include "face/pretrained/pipeline.hpp"
#include "io/atomic_file.hpp"
#include "io/image.hpp"
#include "tests/bench/faceapi_peer.hpp"
#include "tests/bench/harness.hpp"
#include "tests/bench/machine.hpp"

using namespace bench;
using namespace convlab;

namespace {

constexpr int kThreadCounts[] = {1, 2};
constexpr int64_t kPhotoH = 480, kPhotoW = 640, kFaceSide = 150;
constexpr double kTargetRatio = 0.5;  // issue 19: descriptor and pipeline in at most half face-api's time
const char* const kSection = "## Pretrained face pipeline";

// face-api's reference canvas (an ORL face, enlarged 2x, on a colour gradient) when the shared reference
// folder is there: $CONVLAB_SHARED_REFERENCE/face-api, ../shared/reference/face-api or
// /work/shared/reference/face-api, as tests/support/face_reference.cpp looks for it.
std::string reference_photo() {
    const char* env = std::getenv("CONVLAB_SHARED_REFERENCE");
    for (const std::string& dir : {env && env[0] ? std::string(env) + "/face-api" : std::string(),
                                  std::string("../shared/reference/face-api"),
                                  std::string("/work/shared/reference/face-api")})
        if (!dir.empty() && std::filesystem::is_regular_file(dir + "/det_one_s1_1.png"))
            return dir + "/det_one_s1_1.png";
    return "";
}

// Else the project's own picture: one visitor of the one-shot tutorial's office (a synthetic face with its
// caption, 94 x 130 pixels at row 150, column 190 of the tutorial's figure), which the detector finds.
constexpr const char* kOwnPicture = "docs/img/tutorials/01_office_synthetic.png";
constexpr int64_t kOwnTop = 150, kOwnLeft = 190, kOwnH = 130, kOwnW = 94;

// The photo (3, 480, 640): the colour gradient of face-api's reference canvases, R = 90 + 60 x / W,
// G = 120 + 40 y / H, B = 150 - 50 x / W (rounded to bytes, / 255), with `picture` pasted in the middle.
Tensor photo_with(const Tensor& picture) {
    Tensor photo = Tensor::empty({3, kPhotoH, kPhotoW});
    float* p = photo.data();
    const int64_t plane = kPhotoH * kPhotoW;
    for (int64_t y = 0; y < kPhotoH; ++y)
        for (int64_t x = 0; x < kPhotoW; ++x) {
            const double u = double(x) / double(kPhotoW), v = double(y) / double(kPhotoH);
            p[y * kPhotoW + x] = float(std::round(90 + 60 * u) / 255);
            p[plane + y * kPhotoW + x] = float(std::round(120 + 40 * v) / 255);
            p[2 * plane + y * kPhotoW + x] = float(std::round(150 - 50 * u) / 255);
        }
    const Tensor q = picture.contiguous();
    const int64_t h = q.dim(1), w = q.dim(2), top = (kPhotoH - h) / 2, left = (kPhotoW - w) / 2;
    for (int64_t c = 0; c < 3; ++c)
        for (int64_t i = 0; i < h; ++i)
            std::copy(q.data() + (c * h + i) * w, q.data() + (c * h + i + 1) * w,
                      p + c * plane + (top + i) * kPhotoW + left);
    return photo;
}

struct Photo {
    Tensor image;        // (3, 480, 640)
    std::string source;  // where its face came from
};

Photo make_photo() {
    const std::string reference = reference_photo();
    if (!reference.empty())
        return {photo_with(load_image(reference, 3)), "det_one_s1_1.png of face-api's reference outputs (an ORL face)"};
    return {photo_with(crop(load_image(kOwnPicture, 3), kOwnTop, kOwnLeft, kOwnH, kOwnW)),
            std::string(kOwnPicture) + " (a synthetic face)"};
}

// image (3, H, W) in [0, 1] as raw bytes, row after row, R G B per pixel (what peer_faceapi.js reads);
// returns "FILE:WxH".
std::string write_rgb(const std::filesystem::path& file, const Tensor& image) {
    const Tensor x = image.contiguous();
    const int64_t H = x.dim(1), W = x.dim(2);
    std::string bytes(size_t(3 * H * W), '\0');
    for (int64_t i = 0; i < H * W; ++i)
        for (int64_t c = 0; c < 3; ++c)
            bytes[size_t(3 * i + c)] = char(std::lround(std::clamp(x.data()[c * H * W + i], 0.0f, 1.0f) * 255.0f));
    write_file_atomic(file.string(), bytes);
    return file.string() + ":" + std::to_string(W) + "x" + std::to_string(H);
}

std::string size_name(const char* what, const Tensor& image) {
    return std::string(what) + " " + std::to_string(image.dim(2)) + "x" + std::to_string(image.dim(1));
}

bool wanted(const std::string& name, const std::string& only) { return name.find(only) != std::string::npos; }

// One figure on `threads` threads: convlab's runs and, when `server` can set the figure up, face-api's, in turns.
Row figure_row(const std::string& name, int threads, const std::function<void()>& run, ChildProcess* server) {
    run();  // warm-up, as the peer's setup runs its figure
    std::function<double()> peer;
    if (server && FaceApiPeer::setup(*server, name)) peer = [server] { return FaceApiPeer::time_once(*server); };
    Row row{name, threads, 0.0, -1.0, "face-api"};
    std::tie(row.convlab_s, row.peer_s) = median_seconds_in_turns([&] { return seconds_of(run); }, peer);
    return row;
}

// The targets of issue 19, each with the measured ratio and whether it holds.
std::string targets(const std::vector<Row>& rows) {
    std::ostringstream s;
    for (const Row& r : rows)
        if (r.threads == 1 && r.peer_s > 0 && r.name.rfind("detector", 0) != 0)
            s << "- " << r.name << ", 1 thread, time vs face-api <= " << format("%.2f", kTargetRatio)
              << "x: " << format("%.2f", r.ratio()) << "x" << (r.ratio() <= kTargetRatio ? "  (met)" : "  (NOT met)")
              << "\n";
    return s.str();
}

std::string section(const std::vector<Row>& rows, const std::string& machine, const std::string& date,
                    const std::vector<std::string>& notes) {
    std::ostringstream s;
    s << kSection << "\n\n"
      << "Written by build/bin/bench_face (tests/bench/face.cpp) on " << date << "; to reproduce: "
      << "`make face-models face-api-peer && build/bin/bench_face`.\n\n"
      << "Machine: " << machine << ".\n\n"
      << "convlab's pretrained face networks (src/face/pretrained/) against face-api 1.7.15 running the same "
         "networks and weights on tfjs' WebAssembly backend in node (tests/bench/peer_faceapi.js). Median of "
      << kRuns << " runs after warm-up, convlab's and face-api's runs taken in turns; convlab/peer below 1: "
         "convlab is faster.\n\n";
    for (const std::string& n : notes) s << "- " << n << "\n";
    s << "\n" << table(rows) << "\nTargets (issue 19):\n\n" << targets(rows) << "\nReading the figures:\n\n"
      << "- The detector runs MobileNetV1 and the SSD head on the photo resized to 512 x 512, whatever its size; it\n"
         "  is most of the pipeline's time, on both sides. The pipeline adds, per face, the landmark net (112 x 112)\n"
         "  and the descriptor (150 x 150), plus cutting out and resizing the face twice.\n"
      << "- convlab's detector is mostly the gemm of the 1x1 (pointwise) convolutions, then the depthwise 3x3\n"
         "  ones (src/kernels/); face-api's runs XNNPACK's kernels compiled to WebAssembly SIMD (128-bit vectors).\n"
      << "- Two-thread figures suffer most from other processes on the machine (see the load above): when one\n"
         "  thread waits for a CPU, the other waits for it at the end of each layer.\n";
    return s.str();
}

// docs/benchmarks.md with its section "Pretrained face pipeline" (from that heading to the end of the file)
// replaced by `text`, or `text` added at the end.
void write_section(const std::string& path, const std::string& text) {
    std::string doc = std::filesystem::exists(path) ? read_file(path) : "# Benchmarks\n";
    const size_t at = doc.find(std::string("\n") + kSection + "\n");
    doc = (at == std::string::npos ? doc : doc.substr(0, at + 1));
    while (doc.size() >= 2 && doc.compare(doc.size() - 2, 2, "\n\n") == 0) doc.pop_back();
    write_file_atomic(path, doc + "\n" + text);
}

}  // namespace

int main(int argc, char** argv) {
    std::string only, models_override;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            only = argv[++i];
        } else if (std::strcmp(argv[i], "--models") == 0 && i + 1 < argc) {
            models_override = argv[++i];
        } else {
            std::cerr << "usage: bench_face [--models DIR] [--only <part of a figure name>]\n";
            return 2;
        }
    }
    const std::string models = face_models_dir(models_override);
    for (const std::string& name : face_model_names())
        if (!std::filesystem::is_regular_file(face_model_path(models, name))) {
            std::cout << "bench_face: skipped: the pretrained face models are not in '" << models
                      << "'; run `make face-models` (or set CONVLAB_MODELS=DIR)\n";
            return 0;
        }
    const std::filesystem::path scratch =
        std::filesystem::temp_directory_path() / ("convlab_bench_face_" + std::to_string(getpid()));
    try {
        const double load_before = load_average();
        const FacePipeline pipeline = FacePipeline::load(models);
        const Photo made = make_photo();
        const Tensor& photo = made.image;
        const Tensor face = crop(photo, (kPhotoH - kFaceSide) / 2, (kPhotoW - kFaceSide) / 2, kFaceSide, kFaceSide);
        std::filesystem::create_directories(scratch);
        const std::string photo_file = write_rgb(scratch / "photo.rgb", photo);
        const std::string face_file = write_rgb(scratch / "face.rgb", face);

        const FaceApiPeer faceapi;
        const std::string machine = machine_description(), date = now_string();
        const size_t found = pipeline.run(photo).size();
        std::vector<std::string> notes = {
            "The photo: " + made.source + " in the middle of a 640 x 480 colour gradient; the pipeline finds " +
                std::to_string(found) + (found == 1 ? " face in it" : " faces in it (expected 1)") +
                ". The face: the photo's middle 150 x 150 pixels."};
        if (!faceapi.available()) notes.push_back(faceapi.note());
        else
            notes.push_back("face-api's threads: on 1 thread it runs tfjs' SIMD build, its default in node; tfjs "
                            "keeps its threaded build off in node and sizes its thread pool at half the logical "
                            "cores, so for 2 threads peer_faceapi.js switches the threaded SIMD build on with a pool "
                            "of 2 (see its header).");
        std::cout << "convlab pretrained face benchmarks, " << date << "\n" << machine << "\n";
        for (const std::string& n : notes) std::cout << n << "\n";

        const std::vector<std::pair<std::string, std::function<void()>>> figures = {
            {size_name("descriptor", face), [&] { pipeline.recognition_net().describe(face); }},
            {size_name("detector", photo), [&] { pipeline.detector().detect(photo); }},
            {size_name("pipeline", photo), [&] { pipeline.run(photo); }},
        };
        std::vector<Row> rows;
        for (const int threads : kThreadCounts) {
            set_num_threads(threads);
            const std::unique_ptr<ChildProcess> server = faceapi.serve(threads, photo_file, face_file);
            if (server) {
                notes.push_back("The peer on " + std::to_string(threads) + " thread(s): " + FaceApiPeer::info(*server));
                std::cout << notes.back() << "\n";
            }
            if (threads == kThreadCounts[0]) std::cout << "\n" << table_header();
            for (const auto& [name, run] : figures) {
                if (!wanted(name, only)) continue;
                rows.push_back(figure_row(name, threads, run, server.get()));
                std::cout << table_row(rows.back()) << std::flush;
            }
        }
        std::filesystem::remove_all(scratch);
        std::cout << "\n" << targets(rows);
        if (!only.empty()) return 0;  // a partial run does not replace the report
        notes.push_back(format("Load average (1 min) %.1f when the run started, ", load_before) +
                        format("%.1f when it ended, on ", load_average()) +
                        std::to_string(std::thread::hardware_concurrency()) +
                        " CPUs: above that, other processes were competing with the benchmark.");
        std::filesystem::create_directories("docs");
        std::filesystem::create_directories("out");
        write_section("docs/benchmarks.md", section(rows, machine, date, notes));
        write_file_atomic("out/bench_face.json", json(rows, machine, date));
        std::cout << "\nwrote the section \"Pretrained face pipeline\" of docs/benchmarks.md and out/bench_face.json\n";
    } catch (const std::exception& e) {
        std::filesystem::remove_all(scratch);
        std::cerr << "bench_face: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
