// chapters/04_face_verification/face_output.cpp
#include "chapters/04_face_verification/face_output.hpp"

#include <algorithm>
#include <cstdio>

#include "io/json.hpp"

namespace convlab {

// A float with enough digits to read back the same float.
static std::string number(double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%.9g", x);
    return text;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string match_csv(const FaceMatch& m) {
    if (m.face < 0) return csv_field(m.photo) + ",,,";
    char d[32];
    std::snprintf(d, sizeof d, "%.4f", m.distance);
    return csv_field(m.photo) + "," + std::to_string(m.face) + "," + csv_field(m.name) + "," + d;
}

static std::string box_json(const Box& b) {
    return "{\"x\": " + number(b.x) + ", \"y\": " + number(b.y) + ", \"width\": " + number(b.width) +
           ", \"height\": " + number(b.height) + "}";
}

std::string match_json(const FaceMatch& m, bool with_box) {
    std::string out = "{\"photo\": " + json_quote(m.photo);
    if (m.face < 0) return out + ", \"face\": null, \"name\": null, \"distance\": null, \"match\": false}";
    out += ", \"face\": " + std::to_string(m.face) + ", \"name\": " + json_quote(m.name) +
           ", \"distance\": " + number(m.distance) + ", \"match\": " + (m.match ? "true" : "false");
    if (with_box)
        out += ", \"box\": " + box_json(m.record.detection.box) + ", \"score\": " + number(m.record.detection.score);
    if (!m.ranking.empty()) {
        out += ", \"candidates\": [";
        for (size_t i = 0; i < std::min<size_t>(3, m.ranking.size()); ++i)
            out += (i ? ", " : "") + std::string("{\"name\": ") + json_quote(m.ranking[i].name) +
                   ", \"distance\": " + number(m.ranking[i].distance) + "}";
        out += "]";
    }
    return out + "}";
}

std::string detection_csv(const std::string& photo, int index, const FaceRecord& face) {
    char text[160];
    const Box& b = face.detection.box;
    std::snprintf(text, sizeof text, ",%d,%.2f,%.2f,%.2f,%.2f,%.4f", index, b.x, b.y, b.width, b.height,
                  face.detection.score);
    return csv_field(photo) + text;
}

std::string face_json(const FaceRecord& face, bool describe) {
    std::string out = "{\"box\": " + box_json(face.detection.box) + ", \"score\": " + number(face.detection.score);
    if (!describe) return out + "}";
    out += ", \"landmarks\": [";
    for (size_t i = 0; i < face.landmarks.size(); ++i)
        out += (i ? ", [" : "[") + number(face.landmarks[i].x) + ", " + number(face.landmarks[i].y) + "]";
    out += "], \"descriptor\": [";
    for (size_t i = 0; i < face.descriptor.size(); ++i) out += (i ? ", " : "") + number(face.descriptor[i]);
    return out + "]}";
}

std::string photo_faces_json(const std::string& photo, const std::vector<FaceRecord>& faces, bool describe) {
    std::string out = "{\"photo\": " + json_quote(photo) + ", \"faces\": [";
    for (size_t i = 0; i < faces.size(); ++i) out += (i ? ", " : "") + face_json(faces[i], describe);
    return out + "]}";
}

std::string json_array(const std::vector<std::string>& items) {
    if (items.empty()) return "[]\n";
    std::string out = "[\n";
    for (size_t i = 0; i < items.size(); ++i) out += "  " + items[i] + (i + 1 < items.size() ? ",\n" : "\n");
    return out + "]\n";
}

}  // namespace convlab
