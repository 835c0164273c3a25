// tests/app/test_metrics.cpp: metrics.json, ensure_dir and guarded_main.
#include "app/metrics.hpp"

#include <cmath>
#include <iostream>
#include <sstream>

#include "app/main_guard.hpp"
#include "io/atomic_file.hpp"
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
