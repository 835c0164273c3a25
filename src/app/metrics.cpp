// src/app/metrics.cpp
#include "app/metrics.hpp"

#include <charconv>
#include <cmath>
#include <filesystem>

#include "core/error.hpp"
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

void Metrics::set(const std::string& key, double value) {
    if (!std::isfinite(value)) return put(key, "null");
    // The shortest text that reads back to the same number; a value that came from a float (most of them
    // here) is written at float precision: 0.087068006, not 0.08706800639629364.
    const auto as_float = static_cast<float>(value);
    char buf[32];
    const auto result = static_cast<double>(as_float) == value ? std::to_chars(buf, buf + sizeof buf, as_float)
                                                               : std::to_chars(buf, buf + sizeof buf, value);
    put(key, std::string(buf, result.ptr));
}

void Metrics::set(const std::string& key, const std::string& value) { put(key, json_quote(value)); }

void Metrics::set_run(const std::string& program, uint64_t seed, const std::string& options) {
    set("program", program);
    set("version", kVersion);
    set("seed", double(seed));
    set("options", options);
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
