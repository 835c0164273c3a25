// chapters/01_one_shot_learning/pretrained_encoder.cpp
#include "chapters/01_one_shot_learning/pretrained_encoder.hpp"

#include <filesystem>

#include "core/error.hpp"
#include "face/pretrained/models.hpp"
#include "io/image.hpp"
#include "io/progress.hpp"

namespace convlab {

PretrainedChoice choose_pretrained(const std::string& models_option, const std::string& data_dir) {
    PretrainedChoice choice;
    const std::string dir = face_models_dir(models_option);
    std::string missing;
    for (const std::string& name : face_model_names())
        if (!std::filesystem::is_regular_file(face_model_path(dir, name)))
            missing += (missing.empty() ? "" : ", ") + name + ".ckpt";
    check(models_option.empty() || missing.empty(), "--models ", models_option, ": expected the three networks of make "
          "face-models there, missing ", missing);
    if (data_dir.empty())
        choice.why_not = "the pretrained face networks learned real photos: on the synthetic faces they are not "
                         "meaningful, so they are skipped (run with --data DIR)";
    else if (!missing.empty())
        choice.why_not = "no pretrained face networks in " + dir + " (make face-models, or --models DIR): the "
                         "pretrained rows are skipped";
    else
        choice.pipeline = FacePipeline::load(dir);
    return choice;
}

std::vector<float> pretrained_encoding(const FacePipeline& pipeline, const Tensor& image, FaceFound* found) {
    int frames = 0;
    const std::vector<FaceRecord> faces = pipeline.find_faces(image, 0.5f, &frames);
    const FaceFound in_frames[] = {FaceFound::AsItIs, FaceFound::InFrame, FaceFound::InFrameTwice};
    *found = faces.empty() ? FaceFound::Whole : in_frames[frames];
    return faces.empty() ? pipeline.recognition_net().describe(image) : faces.front().descriptor;
}

Tensor pretrained_encodings(const FacePipeline& pipeline, const std::vector<std::string>& files,
                            std::vector<FaceFound>* found) {
    std::vector<float> rows;
    int64_t D = 0;
    if (found) found->clear();
    Progress progress("pretrained f(x)", int64_t(files.size()), 20);
    for (size_t i = 0; i < files.size(); ++i) {
        FaceFound how;
        const std::vector<float> f = pretrained_encoding(pipeline, load_image(files[i], 3), &how);
        if (found) found->push_back(how);
        D = int64_t(f.size());
        rows.insert(rows.end(), f.begin(), f.end());
        progress.update(int64_t(i + 1));
    }
    progress.done();
    return Tensor::from({int64_t(files.size()), D}, rows);
}

}  // namespace convlab
