// src/face/pretrained/pipeline.cpp
#include "face/pretrained/pipeline.hpp"

#include <algorithm>
#include <cmath>

#include "core/autograd.hpp"
#include "core/error.hpp"
#include "face/pretrained/alignment.hpp"
#include "face/pretrained/models.hpp"

namespace convlab {

FacePipeline FacePipeline::load(const std::string& models_dir) {
    return FacePipeline(SsdDetector::load(face_model_path(models_dir, kSsdMobilenetV1)),
                        LandmarkNet::load(face_model_path(models_dir, kFaceLandmarkNet)),
                        RecognitionNet::load(face_model_path(models_dir, kFaceRecognitionNet)));
}

std::vector<FaceRecord> FacePipeline::run(const Tensor& image, float min_confidence) const {
    check(image.ndim() == 3 && image.dim(0) == 3, "FacePipeline::run: expected an RGB image (3, H, W), got ",
          image.shape_str());
    NoGradGuard no_grad;
    std::vector<FaceRecord> faces;
    for (const Detection& detection : detector_.detect(image, min_confidence)) {
        FaceRecord face;
        face.detection = detection;
        // The landmark net answers in the pixels of the cut-out face; face-api moves them by the detector's
        // (unrounded) corner, so the points land in image pixels.
        face.landmarks = landmarks_.detect(cut_out(image, detection.box));
        for (Point& p : face.landmarks) p.x += detection.box.x, p.y += detection.box.y;
        face.aligned_box = landmarks_box(face.landmarks);
        face.crop_box = dlib_alignment_box(face.landmarks);
        face.descriptor = recognition_.describe(cut_out(image, face.crop_box));
        faces.push_back(std::move(face));
    }
    return faces;
}

Tensor framed(const Tensor& image) {
    check(image.ndim() == 3, "framed: expected an image (C, H, W), got ", image.shape_str());
    const int64_t C = image.dim(0), H = image.dim(1), W = image.dim(2);
    const Tensor x = image.contiguous();
    Tensor canvas = Tensor::empty({C, 2 * H, 2 * W});
    for (int64_t c = 0; c < C; ++c) {
        const float* src = x.data() + c * H * W;
        double mean = 0;
        for (int64_t i = 0; i < H * W; ++i) mean += src[i];
        float* dst = canvas.data() + c * 4 * H * W;
        std::fill(dst, dst + 4 * H * W, float(mean / double(H * W)));
        for (int64_t i = 0; i < H; ++i) std::copy(src + i * W, src + (i + 1) * W, dst + (i + H / 2) * 2 * W + W / 2);
    }
    return canvas;
}

std::vector<FaceRecord> FacePipeline::find_faces(const Tensor& image, float min_confidence, int* frames) const {
    Tensor canvas = image;
    float dx = 0, dy = 0;  // where the photo's corner lies in the canvas
    std::vector<FaceRecord> faces = run(canvas, min_confidence);
    int k = 0;
    while (faces.empty() && k < kMaxFrames) {
        dx += float(canvas.dim(2) / 2), dy += float(canvas.dim(1) / 2);
        canvas = framed(canvas);
        faces = run(canvas, min_confidence);
        ++k;
    }
    if (frames) *frames = k;
    for (FaceRecord& f : faces) {
        for (Box* b : {&f.detection.box, &f.aligned_box, &f.crop_box}) b->x -= dx, b->y -= dy;
        for (Point& p : f.landmarks) p.x -= dx, p.y -= dy;
    }
    return faces;
}

float descriptor_distance(const std::vector<float>& a, const std::vector<float>& b) {
    check(a.size() == b.size(), "descriptor_distance: descriptors of ", a.size(), " and ", b.size(), " numbers");
    double sum = 0;
    for (size_t i = 0; i < a.size(); ++i) sum += double(a[i] - b[i]) * double(a[i] - b[i]);
    return float(std::sqrt(sum));
}

}  // namespace convlab
