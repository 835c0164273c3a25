// src/face/database.cpp
#include "face/database.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "core/error.hpp"
#include "io/atomic_file.hpp"

namespace convlab {

static const char* const kMagic = "convlab-face-db 1";

static uint64_t fnv1a(const std::string& bytes) {
    uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ULL;
    return h;
}

void FaceDatabase::add(const std::string& name, const std::string& source, const Tensor& encoding) {
    check(!name.empty() && name.find_first_of("\t\n\r") == std::string::npos,
          "face database: a name must be non-empty without tabs or newlines, got \"", name, "\"");
    check(source.find_first_of("\t\n\r") == std::string::npos, "face database: source \"", source,
          "\" contains a tab or newline");
    check(dim == 0 || encoding.numel() == dim, "face database: expected an encoding of size ", dim, ", got ",
          encoding.shape_str());
    dim = encoding.numel();
    names.push_back(name);
    sources.push_back(source);
    rows.push_back(encoding.values());
}

Tensor FaceDatabase::encodings() const {
    check(size() > 0, "face database: no one is enrolled");
    std::vector<float> all;
    for (const auto& r : rows) all.insert(all.end(), r.begin(), r.end());
    return Tensor::from({size(), dim}, all);
}

std::vector<std::string> FaceDatabase::people() const {
    std::vector<std::string> out;
    for (const auto& n : names)
        if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    return out;
}

void save_database(const std::string& path, const FaceDatabase& db) {
    std::ostringstream body;
    body << kMagic << "\ndim " << db.dim << "\nentries " << db.size() << "\n";
    char number[32];
    for (int64_t m = 0; m < db.size(); ++m) {
        body << db.names[m] << '\t' << db.sources[m] << '\t';
        for (int64_t k = 0; k < db.dim; ++k) {
            std::snprintf(number, sizeof number, "%.9g", db.rows[m][k]);
            body << (k ? " " : "") << number;
        }
        body << '\n';
    }
    const std::string text = body.str();
    std::snprintf(number, sizeof number, "%016" PRIx64, fnv1a(text));
    write_file_atomic(path, text + "checksum " + number + "\n");
}

FaceDatabase load_database(const std::string& path, bool allow_missing) {
    FaceDatabase db;
    if (allow_missing && !std::filesystem::exists(path)) return db;
    const std::string text = read_file(path);
    auto bad = [&](const std::string& why) { fail("face database ", path, ": ", why, " (not a face database, or corrupted)"); };
    const size_t tail = text.rfind("checksum ");
    if (text.compare(0, std::string(kMagic).size(), kMagic) != 0) bad("bad header, expected \"" + std::string(kMagic) + "\"");
    if (tail == std::string::npos) bad("no checksum line");
    char expected[32];
    std::snprintf(expected, sizeof expected, "%016" PRIx64, fnv1a(text.substr(0, tail)));
    if (text.substr(tail + 9, 16) != expected) bad("checksum mismatch");
    std::istringstream in(text.substr(0, tail));
    std::string line, word;
    std::getline(in, line);  // the magic line
    int64_t dim = -1, entries = -1;
    in >> word >> dim;
    if (word != "dim" || dim < 0) bad("bad dim line");
    in >> word >> entries;
    if (word != "entries" || entries < 0) bad("bad entries line");
    std::getline(in, line);
    for (int64_t m = 0; m < entries; ++m) {
        if (!std::getline(in, line)) bad("expected " + std::to_string(entries) + " entries, found " + std::to_string(m));
        const size_t t1 = line.find('\t'), t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
        if (t2 == std::string::npos) bad("entry " + std::to_string(m + 1) + " is not name<TAB>source<TAB>numbers");
        std::istringstream numbers(line.substr(t2 + 1));
        std::vector<float> row;
        float v;
        while (numbers >> v) row.push_back(v);
        if (static_cast<int64_t>(row.size()) != dim)
            bad("entry " + std::to_string(m + 1) + " has " + std::to_string(row.size()) + " numbers, expected " +
                std::to_string(dim));
        db.add(line.substr(0, t1), line.substr(t1 + 1, t2 - t1 - 1), Tensor::from({dim}, row));
    }
    return db;
}

}  // namespace convlab
