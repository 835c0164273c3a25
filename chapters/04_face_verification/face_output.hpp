// chapters/04_face_verification/face_output.hpp
//
// What the face tool prints, as text a program can read (docs/face-tool.md):
//
//   identify, verify   CSV "photo,face_index,name,distance", one line per (photo, face); a photo with no face:
//                      "photo,,," (face_index, name and distance empty)
//   detect             CSV "photo,face_index,x,y,width,height,score"
//   --json             a JSON array instead, one object per (photo, face) (describe, detect: per photo)
//
// CSV fields holding a comma, a quote or a line break are quoted, quotes doubled (RFC 4180). face_index
// counts from 0 in the order of the detector's score. Boxes are in the photo's pixels: x to the right, y
// down, (x, y) the top-left corner.
#pragma once

#include <string>
#include <vector>

#include "chapters/04_face_verification/face_tool.hpp"

namespace convlab {

constexpr const char* kMatchCsvHeader = "photo,face_index,name,distance";
constexpr const char* kDetectCsvHeader = "photo,face_index,x,y,width,height,score";

std::string csv_field(const std::string& s);

// One CSV line (no newline) of a query's answer.
std::string match_csv(const FaceMatch& m);

// One JSON object of a query's answer: photo, face, name, distance, match; with_box: the face's box and
// score too; identify's 3 closest people as "candidates". A photo with no face: face, name and distance null.
std::string match_json(const FaceMatch& m, bool with_box);

// One CSV line of `face detect` (no newline).
std::string detection_csv(const std::string& photo, int index, const FaceRecord& face);

// One JSON object for a face: box and score; with describe also its 68 landmarks ([x, y] pairs) and its
// descriptor.
std::string face_json(const FaceRecord& face, bool describe);

// {"photo": ..., "faces": [face_json...]}
std::string photo_faces_json(const std::string& photo, const std::vector<FaceRecord>& faces, bool describe);

// items (JSON texts) as an array, one item a line, ending in a newline.
std::string json_array(const std::vector<std::string>& items);

}  // namespace convlab
