// tests/app/test_metrics.cpp: metrics.json (its provenance and key words, the version), ensure_dir and guarded_main.
#include "app/metrics.hpp"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "app/main_guard.hpp"
#include "app/options.hpp"
#include "core/parallel.hpp"
#include "io/atomic_file.hpp"
#include "io/json.hpp"
#include "tests/io/scratch_dir.hpp"
#include "tests/support/check.hpp"

using namespace convlab;

TEST_CASE("metrics: flat JSON, keys in first-set order, values escaped" * doctest::test_suite("app.metrics")) {
    app::Metrics metrics;
    CHECK(metrics.to_json() == "{}\n");
    metrics.set("J_final", 0.125);
    metrics.set("layer", "conv4_2");
    metrics.set("steps", 100);
    metrics.set("note", "a \"quoted\" \\ path\nand a tab\t\x01");
    metrics.set("diverged", NAN);
    metrics.set("from_float", 0.1f);  // 0.100000001490116... as a double
    metrics.set("seconds", 1.0 / 3);
    metrics.set("J_final", 0.1);  // replaced in place
    CHECK(metrics.to_json() == "{\n"
                               "  \"J_final\": 0.1,\n"
                               "  \"layer\": \"conv4_2\",\n"
                               "  \"steps\": 100,\n"
                               "  \"note\": \"a \\\"quoted\\\" \\\\ path\\nand a tab\\t\\u0001\",\n"
                               "  \"diverged\": null,\n"
                               "  \"from_float\": 0.1,\n"
                               "  \"seconds\": 0.3333333333333333\n"
                               "}\n");
}

TEST_CASE("metrics: write creates the directory and the file reads back" * doctest::test_suite("app.metrics")) {
    const std::string dir = testing::scratch_dir("metrics") + "/out/ch03";
    app::Metrics metrics;
    metrics.set("accuracy", 0.9375);
    metrics.set("tau", 0.7);
    metrics.write(dir);
    CHECK(read_file(dir + "/metrics.json") == "{\n  \"accuracy\": 0.9375,\n  \"tau\": 0.7\n}\n");
    metrics.set("tau", 0.65);
    metrics.write(dir);  // over the old file
    CHECK(read_file(dir + "/metrics.json").find("\"tau\": 0.65") != std::string::npos);
}

TEST_CASE("ensure_dir: mkdir -p, and an error naming the directory" * doctest::test_suite("app.metrics")) {
    const std::string root = testing::scratch_dir("ensure_dir");
    app::ensure_dir(root + "/a/b/c");
    app::ensure_dir(root + "/a/b/c");  // exists already: fine
    write_file_atomic(root + "/file", "x");
    CHECK_THROWS_WITH_AS(
        app::ensure_dir(root + "/file"),
        ("ensure_dir: cannot create directory " + root + "/file (a file of that name is in the way)").c_str(), Error);
    CHECK_THROWS_WITH_AS(app::ensure_dir(root + "/file/sub"),
                         ("ensure_dir: cannot create directory " + root + "/file/sub (Not a directory)").c_str(),
                         Error);
}

TEST_CASE("guarded_main: status of the body, or one error line and 1" * doctest::test_suite("app.metrics")) {
    std::ostringstream err;
    std::streambuf* saved = std::cerr.rdbuf(err.rdbuf());
    const int ok = app::guarded_main("prog", [] { return 0; });
    const int three = app::guarded_main("prog", [] { return 3; });
    const int failed = app::guarded_main("prog", []() -> int { fail("load_image: x.png: cannot decode"); });
    const int other = app::guarded_main("prog", []() -> int { throw std::out_of_range("vector::at"); });
    std::cerr.rdbuf(saved);
    CHECK(ok == 0);
    CHECK(three == 3);
    CHECK(failed == 1);
    CHECK(other == 1);
    CHECK(err.str() == "prog: error: load_image: x.png: cannot decode\nprog: error: vector::at\n");
}

TEST_CASE("metrics: set_run records program, version, seed, threads, every option and the arguments" *
          doctest::test_suite("app.metrics")) {
    int64_t epochs = 40;
    std::vector<std::string> minings{"random", "hard"};
    app::Options options("face", "A tool.");
    options.integer("epochs", &epochs, "epochs", 1, 100);
    options.list("mining", &minings, "minings", {"random", "hard", "semi-hard"});
    options.positional_usage("COMMAND", "what to do");
    app::CommonOptions& common = options.common();
    app::Metrics metrics;
    CHECK_THROWS_WITH_AS(metrics.set_run(common), "Metrics::set_run: the options were not parsed (Options::parse)",
                         Error);
    REQUIRE(options.parse({"eval", "--seed", "7", "--mining", "semi-hard", "--quick"}));
    epochs = 6;  // the program's --quick cap
    metrics.set_run(common);
    metrics.set("triplet.auc", 0.875);
    CHECK(metrics.to_json() == "{\n"
                               "  \"program\": \"face\",\n"
                               "  \"version\": \"" + std::string(app::version()) + "\",\n"
                               "  \"seed\": 7,\n"
                               "  \"threads\": " + std::to_string(num_threads()) + ",\n"
                               "  \"options\": {\"epochs\": 6, \"mining\": [\"semi-hard\"], \"quick\": true, "
                               "\"data\": \"\", \"out\": \"out/face\", \"seed\": 7, \"threads\": 0},\n"
                               "  \"arguments\": [\"eval\"],\n"
                               "  \"triplet.auc\": 0.875\n"
                               "}\n");
    const JsonValue doc = parse_json(metrics.to_json(), "metrics.json");  // valid JSON
    CHECK(doc.at("options").at("epochs").as_integer() == 6);
}

TEST_CASE("version: git describe of the source at build time, else kVersion; the file rewritten only on change" *
          doctest::test_suite("app.metrics")) {
    const std::string v = app::version();
    REQUIRE_FALSE(v.empty());
    // git describe --always: a tag, or an abbreviated commit, then -dirty for local changes
    CHECK(v.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_/+") ==
          std::string::npos);
    const std::string dir = testing::scratch_dir("version"), file = dir + "/version.cpp";
    REQUIRE(std::system(("tests/tools/version_cpp.sh " + file).c_str()) == 0);
    const std::string text = read_file(file);
    CHECK(text.find("#include \"app/version.hpp\"") != std::string::npos);
    const bool git = std::system("git describe --always > /dev/null 2>&1") == 0;
    CHECK(text.find(git ? "return \"" : "return kVersion;") != std::string::npos);
    // run again with the same text: the file (and so its time stamp, which make compares) is left alone
    const auto stamp = std::filesystem::last_write_time(file);
    std::filesystem::last_write_time(file, stamp - std::chrono::hours(1));
    REQUIRE(std::system(("tests/tools/version_cpp.sh " + file).c_str()) == 0);
    CHECK(std::filesystem::last_write_time(file) == stamp - std::chrono::hours(1));
}

TEST_CASE("metric_word: a name as a key word, lower_snake_case" * doctest::test_suite("app.metrics")) {
    CHECK(app::metric_word("semi-hard") == "semi_hard");
    CHECK(app::metric_word("chi-square") == "chi_square");
    CHECK(app::metric_word("ROC AUC") == "roc_auc");
    CHECK(app::metric_word("  one-shot rank-1 ") == "one_shot_rank_1");
    CHECK(app::metric_word("k3@1") == "k3_1");
}

TEST_CASE("json_number: shortest round trip, float precision for floats, null for NaN and infinities" *
          doctest::test_suite("app.metrics")) {
    CHECK(json_number(0.1f) == "0.1");
    CHECK(json_number(0.1) == "0.1");
    CHECK(json_number(1.0 / 3) == "0.3333333333333333");
    CHECK(json_number(100) == "100");
    CHECK(json_number(-2.5e-7) == "-2.5e-07");
    CHECK(json_number(NAN) == "null");
    CHECK(json_number(-INFINITY) == "null");
}
