// chapters/05_what_convnets_learn/main.cpp
//
// Visualising what a deep network learns (Zeiler and Fergus, 2013): for units of layers 1, 2, 3, ...,
// the nine image patches, from nine different images, that make each unit fire most, each cropped to the
// unit's exact receptive field. One PNG grid per layer.   [lecture: "What are deep ConvNets learning"]
//
//   build/bin/05_what_convnets_learn                              # the face encoder of chapter 03
//   build/bin/05_what_convnets_learn --weights data/vgg19.weights # VGG-19 on the style-transfer pictures
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include "app/main_guard.hpp"
#include "app/metrics.hpp"
#include "app/nst_app.hpp"
#include "app/options.hpp"
#include "app/training.hpp"
#include "chapters/05_what_convnets_learn/top_patches.hpp"
#include "convlab.hpp"
#include "face/encoder.hpp"
#include "face/folds.hpp"
#include "face/train_triplet.hpp"
#include "io/checkpoint.hpp"
#include "io/draw.hpp"
#include "io/image.hpp"
#include "nets/vgg19.hpp"
#include "ops/conv.hpp"
#include "ops/norm.hpp"
#include "ops/pool.hpp"

using namespace convlab;
namespace fs = std::filesystem;

namespace {

// The network under study: named layers, their geometry, their activations on a set of images.
struct Studied {
    std::string description;
    Tensor images;                          // (N, C, H, W) in [0, 1]
    std::vector<std::string> layers;        // the layers shown, shallow to deep
    std::vector<LayerGeometry> geometry;    // every layer up to the deepest shown, for receptive_fields()
    std::vector<Tensor> activations;        // (N, n_C, n_H, n_W) per shown layer
};

// The face encoder's conv blocks, recomputed from its parameters by name, since a FaceEncoder shows only its
// final encoding: standardise -> [conv 3x3 "net.<i>.weight" -> batch norm "net.<i+1>.*" -> ReLU -> max pool]
// (no pool after the last block). The convolutions are found as the 4-d "net.<i>.weight" tensors.
std::vector<Tensor> face_layers(const FaceEncoder& f, const Tensor& images) {
    NoGradGuard no_grad;
    std::map<std::string, Tensor> state;
    std::vector<int> convs;  // module index i of each convolution, in order
    for (auto& [name, t] : f.state()) {
        state[name] = t;
        int i = -1;
        if (t.ndim() == 4 && std::sscanf(name.c_str(), "net.%d.weight", &i) == 1) convs.push_back(i);
    }
    check(convs.size() == f.config().channels.size(), "05_what_convnets_learn: expected ", f.config().channels.size(),
          " convolutions in the face encoder, found ", convs.size());
    const Tensor centred = images - mean(images, {1, 2, 3}, true);
    Tensor x = centred / sqrt(mean(square(centred), {1, 2, 3}, true) + 1e-6f);
    std::vector<Tensor> out;
    for (size_t b = 0; b < convs.size(); ++b) {
        const std::string bn = "net." + std::to_string(convs[b] + 1) + ".";
        check(state.count(bn + "running_mean") == 1, "05_what_convnets_learn: no batch norm after convolution net.",
              convs[b], " of the face encoder");
        x = conv2d(x, state.at("net." + std::to_string(convs[b]) + ".weight"), Tensor(), 1, 1);
        Tensor running_mean = state.at(bn + "running_mean"), running_var = state.at(bn + "running_var");
        x = relu(batch_norm(x, state.at(bn + "weight"), state.at(bn + "bias"), running_mean, running_var, false));
        out.push_back(x);
        if (b + 1 < convs.size()) x = max_pool2d(x, 2);
    }
    return out;
}

// When model_path is missing, trains the encoder here, checkpointed as train_encoder.ckpt in out_dir.
Studied study_faces(const std::string& model_path, const std::string& data, bool quick, uint64_t seed,
                    const app::ResumeOptions& resume, const std::string& out_dir) {
    const std::string att = data.empty() && fs::is_directory("../shared/data/att_faces") ? "../shared/data/att_faces" : data;
    const FaceDataset faces = chapter_faces(att, quick);
    std::unique_ptr<FaceEncoder> f;
    std::string how;
    if (fs::exists(model_path)) {
        f = std::move(load_face_model(model_path).f);
        how = "trained by chapter 03 (" + model_path + ")";
    } else {
        std::printf("no %s: training a face encoder with the triplet loss here (run 03_triplet_loss for a better one)\n",
                    model_path.c_str());
        check_pairs(faces, "training the face encoder on " + faces.source);
        Rng rng(seed);
        f = std::make_unique<FaceEncoder>(EncoderConfig{}, rng);
        TrainConfig tc;
        tc.epochs = quick ? 3 : 20;
        tc.seed = seed + 1;
        tc.log_every = quick ? 1 : 5;
        tc.label = "encoder";
        app::ensure_dir(out_dir);
        tc.checkpoint = resume.checkpoint(out_dir, "encoder");
        tc.resume = resume.resumes(tc.checkpoint);
        train_triplet(*f, faces, tc, Mining::SemiHard);
        how = "trained here for " + std::to_string(tc.epochs) + " epochs";
    }
    Studied s;
    s.description = "face encoder " + how + ", on " + faces.source;
    s.images = faces.images;
    const int blocks = int(f->config().channels.size());
    s.activations = face_layers(*f, faces.images);
    for (int b = 1; b <= blocks; ++b) {
        const std::string id = std::to_string(b);
        s.layers.push_back("relu" + id);
        s.geometry.push_back({"conv" + id, 3, 1, 1});
        s.geometry.push_back({"relu" + id});
        if (b < blocks) s.geometry.push_back({"pool" + id, 2, 2, 0});
    }
    return s;
}

Studied study_vgg(const std::string& weights, const std::string& data) {
    const Vgg19 net = Vgg19::from_file(weights);
    const std::string dir = find_nst_data(data);
    check(!dir.empty(), "05_what_convnets_learn: VGG-19 needs pictures: ../shared/data/nst or --data DIR");
    // every picture at 256 px, cut into 128 x 128 tiles: the image set
    std::vector<Tensor> tiles;
    for (const char* sub : {"content", "style"})
        for (const auto& entry : fs::directory_iterator(fs::path(dir) / sub)) {
            const Tensor image = resize_longest(load_image(entry.path().string(), 3), 256);
            for (int64_t y = 0; y + 128 <= image.dim(1); y += 128)
                for (int64_t x = 0; x + 128 <= image.dim(2); x += 128) tiles.push_back(crop(image, y, x, 128, 128));
        }
    Studied s;
    s.description = net.description() + ", on " + std::to_string(tiles.size()) + " tiles of the nst pictures";
    s.images = stack(tiles);
    s.layers = {"relu1_2", "relu2_2", "relu3_4", "relu4_4", "relu5_4"};
    for (const VggLayer& l : net.layers()) {
        if (l.kind == VggKind::conv) s.geometry.push_back({l.name, 3, 1, 1});
        else if (l.kind == VggKind::pool) s.geometry.push_back({l.name, 2, 2, 0});
        else s.geometry.push_back({l.name});
    }
    NoGradGuard no_grad;
    s.activations = net.features(s.images, s.layers);
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    return app::guarded_main("05_what_convnets_learn", [&] {
        std::string weights, face_model = "out/03_triplet_loss/encoder.ckpt";
        int64_t units = 8;
        app::Options options("05_what_convnets_learn", "The nine patches that excite units of layers 1, 2, 3, ...");
        options.text("weights", &weights, "VGG-19 weights (default: data/vgg19.weights if there; none: the face encoder)");
        options.text("face-model", &face_model, "face encoder checkpoint (chapter 03); trained here if missing");
        options.integer("units", &units, "units shown per layer (the most active ones)", 1, 64);
        app::ResumeOptions resume;  // used only when the face encoder is trained here: train_encoder.ckpt
        resume.declare(options);
        app::CommonOptions& common = options.common();
        if (!options.parse(argc, argv)) return 0;
        if (common.quick) units = std::min<int64_t>(units, 4);

        const std::string weights_file = resolve_weights(weights);
        const Studied s = weights_file.empty()
                              ? study_faces(face_model, common.data, common.quick, common.seed, resume, common.out)
                              : study_vgg(weights_file, common.data);
        std::printf("feature network: %s\n", s.description.c_str());
        const std::vector<ReceptiveField> fields = receptive_fields(s.geometry);
        app::ensure_dir(common.out);
        app::Metrics metrics;
        metrics.set_run(common);
        for (size_t l = 0; l < s.layers.size(); ++l) {
            const auto field = std::find_if(fields.begin(), fields.end(), [&](const ReceptiveField& f) { return f.name == s.layers[l]; });
            const Tensor& a = s.activations[l];
            // the units whose best activation over the whole set is highest
            std::vector<std::pair<float, int64_t>> strength;
            for (int64_t k = 0; k < a.dim(1); ++k) strength.push_back({top_patches(a, k, 1)[0].activation, k});
            std::stable_sort(strength.begin(), strength.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
            std::vector<Tensor> patches;
            std::vector<std::string> rows;
            for (int64_t u = 0; u < std::min<int64_t>(units, a.dim(1)); ++u) {
                const int64_t k = strength[u].second;
                for (const PatchHit& hit : top_patches(a, k, 9))
                    patches.push_back(receptive_field_patch(s.images[hit.image], *field, hit.i, hit.j));
                rows.push_back("unit " + std::to_string(k));
            }
            GridOptions grid;
            grid.cols = 9;
            grid.row_labels = rows;
            grid.scale = int(std::max<int64_t>(1, 48 / field->size));
            grid.title = "layer " + std::to_string(l + 1) + " (" + s.layers[l] + "): receptive field " +
                         std::to_string(field->size) + "x" + std::to_string(field->size) + " px";
            const std::string path = common.out + "/layer" + std::to_string(l + 1) + ".png";
            save_png(path, make_grid(patches, grid));
            std::printf("layer %zu %-8s receptive field %3ld px  (%lld channels)  -> %s\n", l + 1, s.layers[l].c_str(),
                        field->size, (long long)a.dim(1), path.c_str());
            metrics.set("receptive_field_" + s.layers[l], double(field->size));
        }
        metrics.set("network", s.description);
        metrics.write(common.out);
        resume.finish(common.out);  // done: the checkpoints go (--keep-checkpoints keeps them)
        return 0;
    });
}
