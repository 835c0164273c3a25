// src/app/metrics.hpp
//
// metrics.json: the numbers a chapter program reached (final cost, accuracy, threshold, time), written
// beside its figures so `make demo` can gather every chapter's results into one page and tests can read them.
//
//   app::Metrics metrics;
//   metrics.set("J_final", 12.5);
//   metrics.set("layer", "conv4_2");
//   metrics.write(common.out);   // -> out/08_style_transfer/metrics.json
//
// The file is one flat JSON object, keys in the order they were first set:
//   {
//     "J_final": 12.5,
//     "layer": "conv4_2"
//   }
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace convlab::app {

// The version of convlab a program reports (metrics.json's "version").
constexpr const char* kVersion = "0.1.0";

class Metrics {
public:
    // Setting a key again replaces its value and keeps its place. Numbers are written in the shortest form
    // that reads back to the same value (at float precision when the value is a float's); NaN and
    // infinities, which JSON lacks, are written as null.
    void set(const std::string& key, double value);
    void set(const std::string& key, const std::string& value);
    // What made the numbers: "program", "version" (kVersion), "seed" and "options" (the command line after
    // the program's name), set in that order.
    void set_run(const std::string& program, uint64_t seed, const std::string& options);

    std::string to_json() const;
    // Writes dir/metrics.json atomically, creating dir if needed.
    void write(const std::string& dir) const;

private:
    void put(const std::string& key, std::string json_value);
    std::vector<std::pair<std::string, std::string>> entries_;  // key, value already in JSON form
};

// mkdir -p: creates dir and any missing parents; an error (naming dir) if that fails or dir is a file.
void ensure_dir(const std::string& dir);

}  // namespace convlab::app
