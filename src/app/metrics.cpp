// src/app/metrics.cpp
#include "app/metrics.hpp"

#include <cctype>
#include <filesystem>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "io/atomic_file.hpp"
#include "io/json.hpp"

namespace convlab::app {
void Metrics::put(const std::string& key, std::string json_value) {
    for (auto& entry : entries_)
        if (entry.first == key) {
            entry.second = std::move(json_value);
            return;
        }
    entries_.emplace_back(key, std::move(json_value));
}

void Metrics::set(const std::string& key, double value) { put(key, json_number(value)); }

void Metrics::set(const std::string& key, const std::string& value) { put(key, json_quote(value)); }

void Metrics::set_run(const CommonOptions& common) {
    check(common.parsed != nullptr, "Metrics::set_run: the options were not parsed (Options::parse)");
    const Options& options = *common.parsed;
    set("program", options.program());
    set("version", version());
    put("seed", std::to_string(common.seed));  // exact: a double holds integers up to 2^53 only
    set("threads", num_threads());
    put("options", options.values_json());
    if (!options.positional().empty()) {
        std::string arguments;
        for (const std::string& a : options.positional()) arguments += (arguments.empty() ? "" : ", ") + json_quote(a);
        put("arguments", "[" + arguments + "]");
    }
}

std::string Metrics::to_json() const {
    std::string out = "{";
    for (size_t i = 0; i < entries_.size(); ++i)
        out += (i ? ",\n  " : "\n  ") + json_quote(entries_[i].first) + ": " + entries_[i].second;
    return out + (entries_.empty() ? "}\n" : "\n}\n");
}

void Metrics::write(const std::string& dir) const {
    ensure_dir(dir);
    write_file_atomic((std::filesystem::path(dir) / "metrics.json").string(), to_json());
}

std::string metric_word(const std::string& name) {
    std::string word;
    for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) word += static_cast<char>(std::tolower(u));
        else if (!word.empty() && word.back() != '_') word += '_';
    }
    if (!word.empty() && word.back() == '_') word.pop_back();
    return word;
}

void ensure_dir(const std::string& dir) {
    check(!dir.empty(), "ensure_dir: empty directory name");
    std::error_code ec;
    check(!std::filesystem::exists(dir, ec) || std::filesystem::is_directory(dir, ec),
          "ensure_dir: cannot create directory ", dir, " (a file of that name is in the way)");
    std::filesystem::create_directories(dir, ec);
    check(!ec && std::filesystem::is_directory(dir), "ensure_dir: cannot create directory ", dir, " (",
          ec.message(), ")");
}

}  // namespace convlab::app
