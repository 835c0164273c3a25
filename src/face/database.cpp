// src/face/database.cpp
#include "face/database.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/fnv1a.hpp"

namespace convlab {

static const char* const kMagic = "convlab-face-db 2";
static const char* const kMagicFormat1 = "convlab-face-db 1";

void FaceDatabase::add(const std::string& name, const std::string& source, const Tensor& encoding,
                       const std::string& content) {
    check(!name.empty() && name.find_first_of("\t\n\r") == std::string::npos,
          "face database: a name must be non-empty without tabs or newlines, got \"", name, "\"");
    check(source.find_first_of("\t\n\r") == std::string::npos, "face database: source \"", source,
          "\" contains a tab or newline");
    check(!content.empty() && content.find_first_of(" \t\n\r") == std::string::npos,
          "face database: a photo's content hash must be one word, got \"", content, "\"");
    check(dim == 0 || encoding.numel() == dim, "face database: expected an encoding of size ", dim, ", got ",
          encoding.shape_str());
    dim = encoding.numel();
    names.push_back(name);
    sources.push_back(source);
    contents.push_back(content);
    rows.push_back(encoding.values());
}

int64_t FaceDatabase::remove(const std::string& name) {
    int64_t kept = 0;
    for (int64_t m = 0; m < size(); ++m) {
        if (names[m] == name) continue;
        names[kept] = names[m], sources[kept] = sources[m], contents[kept] = contents[m], rows[kept] = rows[m];
        ++kept;
    }
    const int64_t removed = size() - kept;
    names.resize(kept), sources.resize(kept), contents.resize(kept), rows.resize(kept);
    return removed;
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

int64_t FaceDatabase::photos_of(const std::string& name) const {
    return static_cast<int64_t>(std::count(names.begin(), names.end(), name));
}

void save_database(const std::string& path, const FaceDatabase& db) {
    check(db.model.find_first_of("\n\r") == std::string::npos &&
              db.fingerprint.find_first_of(" \t\n\r") == std::string::npos,
          "face database: the model's fingerprint must be one word and its description one line");
    std::ostringstream body;
    body << kMagic << "\nmodel " << (db.fingerprint.empty() ? "-" : db.fingerprint)
         << (db.model.empty() ? "" : " " + db.model) << "\ndim " << db.dim << "\nentries " << db.size() << "\n";
    char number[32];
    for (int64_t m = 0; m < db.size(); ++m) {
        body << db.names[m] << '\t' << db.sources[m] << '\t' << db.contents[m] << '\t';
        for (int64_t k = 0; k < db.dim; ++k) {
            std::snprintf(number, sizeof number, "%.9g", db.rows[m][k]);
            body << (k ? " " : "") << number;
        }
        body << '\n';
    }
    const std::string text = body.str();
    write_file_atomic(path, text + "checksum " + hex16(fnv1a(text)) + "\n");
}

FaceDatabase load_database(const std::string& path, bool allow_missing) {
    FaceDatabase db;
    if (allow_missing && !std::filesystem::exists(path)) return db;
    const std::string text = read_file(path);
    auto bad = [&](const std::string& why) { fail("face database ", path, ": ", why, " (not a face database, or corrupted)"); };
    auto starts = [&](const char* magic) { return text.compare(0, std::string(magic).size(), magic) == 0; };
    if (starts(kMagicFormat1))
        fail("face database ", path, " is in format 1, which does not name the model that made its encodings: enrol "
             "its people again into a new database (format 2)");
    if (!starts(kMagic)) bad("bad header, expected \"" + std::string(kMagic) + "\"");
    const size_t tail = text.rfind("checksum ");
    if (tail == std::string::npos) bad("no checksum line");
    if (text.substr(tail + 9, 16) != hex16(fnv1a(text.substr(0, tail)))) bad("checksum mismatch");
    std::istringstream in(text.substr(0, tail));
    std::string line, word;
    std::getline(in, line);  // the magic line
    std::getline(in, line);
    if (line.compare(0, 6, "model ") != 0 || line.size() < 7) bad("bad model line");
    const size_t space = line.find(' ', 6);
    db.fingerprint = line.substr(6, space == std::string::npos ? std::string::npos : space - 6);
    if (db.fingerprint == "-") db.fingerprint.clear();
    if (space != std::string::npos) db.model = line.substr(space + 1);
    int64_t dim = -1, entries = -1;
    in >> word >> dim;
    if (word != "dim" || dim < 0) bad("bad dim line");
    in >> word >> entries;
    if (word != "entries" || entries < 0) bad("bad entries line");
    std::getline(in, line);
    for (int64_t m = 0; m < entries; ++m) {
        if (!std::getline(in, line)) bad("expected " + std::to_string(entries) + " entries, found " + std::to_string(m));
        size_t tab[3], from = 0;
        for (size_t& t : tab) {
            t = from == std::string::npos ? from : line.find('\t', from);
            from = t == std::string::npos ? t : t + 1;
        }
        if (tab[2] == std::string::npos)
            bad("entry " + std::to_string(m + 1) + " is not name<TAB>source<TAB>content<TAB>numbers");
        std::istringstream numbers(line.substr(tab[2] + 1));
        std::vector<float> row;
        float v;
        while (numbers >> v) row.push_back(v);
        if (static_cast<int64_t>(row.size()) != dim)
            bad("entry " + std::to_string(m + 1) + " has " + std::to_string(row.size()) + " numbers, expected " +
                std::to_string(dim));
        db.add(line.substr(0, tab[0]), line.substr(tab[0] + 1, tab[1] - tab[0] - 1),
               Tensor::from({dim}, row), line.substr(tab[1] + 1, tab[2] - tab[1] - 1));
    }
    return db;
}

}  // namespace convlab
