// src/app/metrics.hpp
//
// metrics.json: the numbers a chapter program reached (final cost, accuracy, threshold, time), written
// beside its figures so `make demo` can gather every chapter's results into one page and tests can read them.
//
//   app::Metrics metrics;
//   metrics.set_run(common);               // what made the numbers: program, version, seed, threads, options
//   metrics.set("j_final", 12.5);
//   metrics.set("layer", "conv4_2");
//   metrics.write(common.out);             // -> out/08_style_cost/metrics.json
//
// The file is one JSON object, keys in the order they were first set; every value but "options" (an object)
// and "arguments" (an array) is a number or a string. How the keys are named: docs/metrics.md.
//   {
//     "program": "08_style_cost",
//     "version": "e36caea",
//     "seed": 0,
//     "threads": 2,
//     "options": {"quick": true, "data": "", "out": "out/08_style_cost", "seed": 0, "threads": 0},
//     "j_final": 12.5,
//     "layer": "conv4_2"
//   }
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "app/options.hpp"
#include "app/version.hpp"

namespace convlab::app {

class Metrics {
public:
    // Setting a key again replaces its value and keeps its place. Numbers are written in the shortest form
    // that reads back to the same value (json_number: at float precision when the value is a float's); NaN
    // and infinities, which JSON lacks, are written as null.
    void set(const std::string& key, double value);
    void set(const std::string& key, const std::string& value);
    // What made the numbers, from the options the program parsed (common: Options::common()), set in this
    // order: "program", "version" (app::version()), "seed", "threads" (the worker threads it ran with),
    // "options" (every option's value as the program used it, by name: Options::values_json) and, for a
    // program that takes them, "arguments" (the positional arguments).
    void set_run(const CommonOptions& common);

    std::string to_json() const;
    // Writes dir/metrics.json atomically, creating dir if needed.
    void write(const std::string& dir) const;

private:
    void put(const std::string& key, std::string json_value);
    std::vector<std::pair<std::string, std::string>> entries_;  // key, value already in JSON form
};

// A name as a metrics.json key word (docs/metrics.md): lower case, each run of characters other than letters
// and digits one underscore: "semi-hard" -> "semi_hard", "chi-square" -> "chi_square".
std::string metric_word(const std::string& name);

// mkdir -p: creates dir and any missing parents; an error (naming dir) if that fails or dir is a file.
void ensure_dir(const std::string& dir);

}  // namespace convlab::app
