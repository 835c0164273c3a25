// src/app/options.hpp
//
// Command-line options for the chapter programs: each program declares its options (name, where the value
// goes, help text, allowed range), and parse() fills them in from argv. The value a target holds when it is
// declared is its default, and --help lists every option with its default.
//
//   int64_t epochs = 20;
//   app::Options options("03_triplet_loss", "Train a face encoder with the triplet loss.");
//   options.integer("epochs", &epochs, "passes over the training triplets", 1, 1000);
//   app::CommonOptions& common = options.common();
//   if (!options.parse(argc, argv)) return 0;  // --help was printed
//
// On the command line:  --epochs 30  or  --epochs=30;  flags: --quick;  lists: --layers a,b --layers c;
// anything not starting with "--" is a positional argument (subcommands, file names); after "--" all are.
// Every value is checked as it is parsed (ranges, choices, the items of a list), so a program that has
// parsed its options has a valid command line before it starts any work. values_json() gives every
// option's value for metrics.json (Metrics::set_run).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace convlab::app {

class Options;

// The options every chapter program takes.
struct CommonOptions {
    bool quick = false;   // --quick: a small, fast run (make demo, tests)
    std::string data;     // --data DIR: the data set to use ("" = the program's default)
    std::string out;      // --out DIR: where figures and metrics.json go (default out/<program>)
    uint64_t seed = 0;    // --seed N: every random choice follows from it
    int threads = 0;      // --threads N: worker threads (0 = CONVLAB_THREADS or all cores)
    const Options* parsed = nullptr;  // the options these came from, once parsed (Metrics::set_run reads them)
};

class Options {
public:
    Options(std::string program, std::string description);
    Options(const Options&) = delete;  // the registered setters point into this object
    Options& operator=(const Options&) = delete;

    // Option names are written without the leading "--". Registering a name twice is an error. A flag is
    // set by --name and cleared by --no-name.
    void flag(const std::string& name, bool* target, const std::string& help);
    void integer(const std::string& name, int64_t* target, const std::string& help, int64_t lo, int64_t hi);
    void number(const std::string& name, double* target, const std::string& help, double lo, double hi);
    void text(const std::string& name, std::string* target, const std::string& help);
    void choice(const std::string& name, std::string* target, const std::vector<std::string>& choices,
                const std::string& help);
    // Repeated (--x a --x b) or comma-separated (--x a,b); the first use on the command line replaces the
    // default list. With choices, every item must be one of them, and at most once.
    void list(const std::string& name, std::vector<std::string>* target, const std::string& help,
              const std::vector<std::string>& choices = {});

    // Registers --quick, --data, --out (default out/<program>), --seed and --threads into common(); calling it
    // again returns the same options.
    CommonOptions& common();

    // Describes the positional arguments in the usage line and --help, e.g. ("enroll|verify NAME IMAGE", ...).
    void positional_usage(const std::string& usage, const std::string& help);

    // Fills in the targets from argv. --help (or -h) prints usage() to stdout and returns false (the caller
    // then exits with status 0). An unknown option, a missing or malformed value, or a value out of range
    // throws convlab::Error with one line naming the option, what was expected and what was given.
    // A --threads N > 0 is applied with set_num_threads.
    bool parse(int argc, char** argv);
    bool parse(const std::vector<std::string>& args);  // the same, without argv[0]

    std::vector<std::string> positional() const;  // the positional arguments, in order
    bool given(const std::string& name) const;     // was --name (or --no-name) on the command line?
    std::string usage() const;                     // the --help text
    const std::string& program() const { return program_; }
    // Every option's value now, as one JSON object in declaration order, keyed by the option's name:
    //   {"epochs": 6, "mining": ["random", "hard"], "alpha": 0.2, "quick": true, "data": "", ...}
    // Read after the program has settled its values (--quick's caps applied), it records what was run.
    std::string values_json() const;

private:
    struct Option {
        std::string name, metavar, help, default_text;   // metavar "" for a flag
        std::function<void(const std::string& value)> set;  // parses the value and stores it, or throws
        std::function<void()> clear;                         // lists only: drops the default before first use
        std::function<std::string()> json;                   // the target's value now, as JSON
    };
    void add(Option option);
    const Option* find(const std::string& name) const;

    std::string program_, description_, positional_usage_, positional_help_;
    std::vector<Option> options_;
    std::vector<std::string> positional_, given_;
    bool has_common_ = false;
    CommonOptions common_;
};

}  // namespace convlab::app
