// src/app/options.cpp
#include "app/options.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <sstream>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "io/json.hpp"

namespace convlab::app {
namespace {

constexpr size_t kHelpColumn = 24;   // help texts start here in --help, after "  --name METAVAR"
constexpr size_t kMaxSuggestDistance = 2;  // "did you mean" only for near misses (a typo or two)

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + items[i];
    return out;
}

template <typename T>
std::string to_text(T value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

int64_t parse_integer(const std::string& name, const std::string& text, int64_t lo, int64_t hi) {
    int64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    check(ec == std::errc() && ptr == end && value >= lo && value <= hi, "--", name, ": expected an integer in [",
          lo, ", ", hi, "], got '", text, "'");
    return value;
}

double parse_number(const std::string& name, const std::string& text, double lo, double hi) {
    char* end = nullptr;
    const double value = text.empty() ? NAN : std::strtod(text.c_str(), &end);
    check(!text.empty() && end == text.c_str() + text.size() && std::isfinite(value) && value >= lo && value <= hi,
          "--", name, ": expected a number in [", lo, ", ", hi, "], got '", text, "'");
    return value;
}

// Levenshtein distance: the number of one-letter edits from a to b.
size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t replaced = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            diagonal = row[j];
            row[j] = std::min({replaced, row[j] + 1, row[j - 1] + 1});
        }
    }
    return row[b.size()];
}

}  // namespace

Options::Options(std::string program, std::string description)
    : program_(std::move(program)), description_(std::move(description)) {}

void Options::add(Option option) {
    check(!option.name.empty() && option.name.rfind("-", 0) != 0 && option.name.find('=') == std::string::npos,
          program_, ": option names are written without '--' and without '=', got '", option.name, "'");
    check(find(option.name) == nullptr && option.name != "help", program_, ": option --", option.name,
          " is registered twice");
    options_.push_back(std::move(option));
}

const Options::Option* Options::find(const std::string& name) const {
    for (const Option& option : options_)
        if (option.name == name) return &option;
    return nullptr;
}

void Options::flag(const std::string& name, bool* target, const std::string& help) {
    add({name, "", help, *target ? "on; --no-" + name + " turns it off" : "", [target](const std::string& v) {
             *target = v.empty();  // "" for --name, "no" for --no-name
         }, nullptr, [target] { return std::string(*target ? "true" : "false"); }});
}

void Options::integer(const std::string& name, int64_t* target, const std::string& help, int64_t lo, int64_t hi) {
    check(lo <= *target && *target <= hi, program_, ": --", name, ": default ", *target, " is outside [", lo, ", ",
          hi, "]");
    add({name, "N", help + " (" + to_text(lo) + ".." + to_text(hi) + ")", to_text(*target),
         [=](const std::string& v) { *target = parse_integer(name, v, lo, hi); }, nullptr,
         [target] { return std::to_string(*target); }});
}

void Options::number(const std::string& name, double* target, const std::string& help, double lo, double hi) {
    check(lo <= *target && *target <= hi, program_, ": --", name, ": default ", *target, " is outside [", lo, ", ",
          hi, "]");
    add({name, "X", help + " (" + to_text(lo) + ".." + to_text(hi) + ")", to_text(*target),
         [=](const std::string& v) { *target = parse_number(name, v, lo, hi); }, nullptr,
         [target] { return json_number(*target); }});
}

void Options::text(const std::string& name, std::string* target, const std::string& help) {
    add({name, "TEXT", help, *target, [target](const std::string& v) { *target = v; }, nullptr,
         [target] { return json_quote(*target); }});
}

void Options::choice(const std::string& name, std::string* target, const std::vector<std::string>& choices,
                     const std::string& help) {
    const std::string all = join(choices, "|");
    check(std::find(choices.begin(), choices.end(), *target) != choices.end(), program_, ": --", name,
          ": default '", *target, "' is not one of ", all);
    add({name, all, help, *target, [=](const std::string& v) {
             check(std::find(choices.begin(), choices.end(), v) != choices.end(), "--", name, ": expected one of ",
                   all, ", got '", v, "'");
             *target = v;
         }, nullptr, [target] { return json_quote(*target); }});
}

void Options::list(const std::string& name, std::vector<std::string>* target, const std::string& help,
                   const std::vector<std::string>& choices) {
    const std::string all = join(choices, "|");
    add({name, choices.empty() ? "A,B,..." : "{" + all + "},...", help, join(*target, ","),
         [=](const std::string& v) {
             std::istringstream in(v);
             for (std::string item; std::getline(in, item, ',');) {
                 check(!item.empty(), "--", name, ": expected a comma-separated list without empty items, got '", v,
                       "'");
                 check(choices.empty() || std::find(choices.begin(), choices.end(), item) != choices.end(), "--",
                       name, ": expected a comma-separated list of ", all, ", got '", item, "' in '", v, "'");
                 check(choices.empty() || std::find(target->begin(), target->end(), item) == target->end(), "--",
                       name, ": expected each of ", all, " at most once, got '", item, "' twice");
                 target->push_back(item);
             }
         },
         [target] { target->clear(); },
         [target] {
             std::string items;
             for (const std::string& item : *target) items += (items.empty() ? "" : ", ") + json_quote(item);
             return "[" + items + "]";
         }});
}

CommonOptions& Options::common() {
    if (has_common_) return common_;
    has_common_ = true;
    common_.out = "out/" + program_;
    CommonOptions* c = &common_;
    flag("quick", &c->quick, "a small, fast run (seconds), as in `make demo`");
    add({"data", "DIR", "the data set to read", "the program's built-in data",
         [c](const std::string& v) { c->data = v; }, nullptr, [c] { return json_quote(c->data); }});
    add({"out", "DIR", "where figures and metrics.json go", c->out, [c](const std::string& v) { c->out = v; },
         nullptr, [c] { return json_quote(c->out); }});
    add({"seed", "N", "seed of every random choice (0..2^63-1)", "0",
         [c](const std::string& v) {
             c->seed = static_cast<uint64_t>(parse_integer("seed", v, 0, std::numeric_limits<int64_t>::max()));
         }, nullptr, [c] { return std::to_string(c->seed); }});
    add({"threads", "N", "worker threads (0..1024; 0 = CONVLAB_THREADS or all cores)", "0",
         [c](const std::string& v) { c->threads = static_cast<int>(parse_integer("threads", v, 0, 1024)); },
         nullptr, [c] { return std::to_string(c->threads); }});
    return common_;
}

void Options::positional_usage(const std::string& usage, const std::string& help) {
    positional_usage_ = usage;
    positional_help_ = help;
}

bool Options::parse(int argc, char** argv) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
    return parse(args);
}

bool Options::parse(const std::vector<std::string>& args) {
    positional_.clear();
    given_.clear();
    std::vector<std::string> lists_seen;  // a list's default is dropped at its first use
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") {
            positional_.insert(positional_.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
            break;
        }
        if (arg == "--help" || arg == "-h") {
            std::cout << usage();
            return false;
        }
        if (arg.rfind("--", 0) != 0) {
            positional_.push_back(arg);
            continue;
        }
        const size_t eq = arg.find('=');
        std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        const Option* option = find(name);
        const bool negated = !option && name.rfind("no-", 0) == 0 && find(name.substr(3)) &&
                             find(name.substr(3))->metavar.empty();
        if (negated) option = find(name.substr(3));
        if (!option) {
            std::string nearest;
            size_t best = kMaxSuggestDistance + 1;
            for (const Option& o : options_)
                if (const size_t d = edit_distance(name, o.name); d < best) best = d, nearest = o.name;
            fail("unknown option ", arg, nearest.empty() ? " (see --help)" : " (did you mean --" + nearest + "?)");
        }
        given_.push_back(option->name);
        if (option->metavar.empty()) {  // a flag
            check(eq == std::string::npos, "--", name, " is a flag and takes no value, got '", arg, "'");
            option->set(negated ? "no" : "");
            continue;
        }
        std::string value;
        if (eq != std::string::npos) {
            value = arg.substr(eq + 1);
        } else {
            check(i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0, "--", name, ": missing value (expected ",
                  option->metavar, ")");
            value = args[++i];
        }
        if (option->clear && std::find(lists_seen.begin(), lists_seen.end(), name) == lists_seen.end()) {
            option->clear();
            lists_seen.push_back(name);
        }
        option->set(value);
    }
    // A program without positional arguments refuses a stray word rather than ignore it.
    if (!positional_.empty() && positional_usage_.empty())
        fail("unexpected argument '", positional_.front(), "': ", program_, " takes only options (usage: ", program_,
             " [options]; see --help)");
    if (has_common_ && common_.threads > 0) set_num_threads(common_.threads);
    common_.parsed = this;
    return true;
}

std::vector<std::string> Options::positional() const { return positional_; }

bool Options::given(const std::string& name) const {
    return std::find(given_.begin(), given_.end(), name) != given_.end();
}

std::string Options::values_json() const {
    std::string out = "{";
    for (const Option& o : options_) out += (out.size() > 1 ? ", " : "") + json_quote(o.name) + ": " + o.json();
    return out + "}";
}

std::string Options::usage() const {
    std::ostringstream out;
    out << "usage: " << program_ << " [options]" << (positional_usage_.empty() ? "" : " " + positional_usage_)
        << "\n\n" << description_ << "\n";
    if (!positional_help_.empty()) out << "\n  " << positional_usage_ << "\n      " << positional_help_ << "\n";
    out << "\noptions:\n";
    auto line = [&](const std::string& left, const std::string& help) {
        const bool fits = 2 + left.size() + 2 <= kHelpColumn;  // else the help goes on the next line
        out << "  " << left << (fits ? std::string(kHelpColumn - 2 - left.size(), ' ')
                                     : "\n" + std::string(kHelpColumn, ' '))
            << help << "\n";
    };
    for (const Option& o : options_) {
        const std::string left = "--" + o.name + (o.metavar.empty() ? "" : " " + o.metavar);
        line(left, o.help + (o.default_text.empty() ? "" : " [default: " + o.default_text + "]"));
    }
    line("--help", "show this help and exit");
    return out.str();
}

}  // namespace convlab::app
