// src/face/pretrained/nms.hpp
//
// Non-max suppression: of the many overlapping boxes a detector finds around one face, keep the most
// confident.                                                                            [Liu et al., 2016. SSD]
//   IoU(A, B) = area(A n B) / (area(A) + area(B) - area(A n B))        (0 when either area is <= 0)
//
// face-api's SSD rule (ssdMobilenetv1/nonMaxSuppression.ts), greedy:
//   1. candidates: the boxes with score > score_threshold, by score, highest first; equal scores keep
//      their index order (a stable sort, as JavaScript's);
//   2. each candidate in turn is kept unless a box already kept overlaps it with IoU > iou_threshold
//      (IoU == iou_threshold keeps it);
//   3. stop once min(max_output, number of boxes) boxes are kept.
// Returns the indices of the kept boxes, in the order they were kept (highest score first).
#pragma once

#include <vector>

#include "face/pretrained/geometry.hpp"

namespace convlab {

// IoU of two boxes, computed in double as face-api does (its numbers are JavaScript doubles). A box with
// a negative width or height counts by its corners (min and max of x and x + width).
double box_iou(const Box& a, const Box& b);

// boxes and scores: one per candidate, the same count (else convlab::Error).
std::vector<int> non_max_suppression(const std::vector<Box>& boxes, const std::vector<float>& scores, int max_output,
                                     float iou_threshold, float score_threshold);

}  // namespace convlab
