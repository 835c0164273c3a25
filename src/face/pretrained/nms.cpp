// src/face/pretrained/nms.cpp: IoU and face-api's greedy non-max suppression (see nms.hpp).
#include "face/pretrained/nms.hpp"

#include <algorithm>
#include <numeric>

#include "core/error.hpp"

namespace convlab {
namespace {

// A box by its corners, whichever way round its width and height point.
struct Corners {
    double x0, y0, x1, y1;
    explicit Corners(const Box& b)
        : x0(std::min<double>(b.x, b.right())), y0(std::min<double>(b.y, b.bottom())),
          x1(std::max<double>(b.x, b.right())), y1(std::max<double>(b.y, b.bottom())) {}
    double area() const { return (x1 - x0) * (y1 - y0); }
};

}  // namespace

double box_iou(const Box& a, const Box& b) {
    const Corners A(a), B(b);
    if (A.area() <= 0 || B.area() <= 0) return 0.0;
    const double inter = std::max(std::min(A.y1, B.y1) - std::max(A.y0, B.y0), 0.0) *
                         std::max(std::min(A.x1, B.x1) - std::max(A.x0, B.x0), 0.0);
    return inter / (A.area() + B.area() - inter);
}

std::vector<int> non_max_suppression(const std::vector<Box>& boxes, const std::vector<float>& scores, int max_output,
                                     float iou_threshold, float score_threshold) {
    check(boxes.size() == scores.size(), "non_max_suppression: expected one score per box, got ", boxes.size(),
          " boxes and ", scores.size(), " scores");
    std::vector<int> candidates;
    for (size_t i = 0; i < scores.size(); ++i)
        if (scores[i] > score_threshold) candidates.push_back(int(i));  // NaN scores are never candidates
    std::stable_sort(candidates.begin(), candidates.end(), [&](int a, int b) { return scores[a] > scores[b]; });

    const size_t output_size = size_t(std::max(0, std::min<int>(max_output, int(boxes.size()))));
    std::vector<int> selected;
    for (const int c : candidates) {
        if (selected.size() >= output_size) break;
        // face-api's loop, as written: the score is zeroed by an overlap above the threshold, the newest kept
        // box first, and the candidate is kept when its score came through unchanged.
        double score = scores[c];
        for (size_t j = selected.size(); j-- > 0;) {
            const double iou = box_iou(boxes[c], boxes[selected[j]]);
            if (iou == 0.0) continue;
            score *= iou <= iou_threshold ? 1.0 : 0.0;
            if (score <= score_threshold) break;
        }
        if (score == double(scores[c])) selected.push_back(c);
    }
    return selected;
}

}  // namespace convlab
