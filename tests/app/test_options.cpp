// tests/app/test_options.cpp: the command-line parser: values, defaults, ranges, lists, errors, --help.
#include "app/options.hpp"

#include <iostream>
#include <sstream>

#include "core/parallel.hpp"
#include "io/json.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using app::Options;

namespace {

// A program with one option of each kind, its targets holding the defaults.
struct Program {
    bool verbose = false, cache = true;
    int64_t epochs = 20;
    double lr = 0.01;
    std::string name = "kian", mode = "sgd";
    std::vector<std::string> layers{"conv1", "conv2"};
    Options options{"03_triplet_loss", "Train a face encoder with the triplet loss."};

    Program() {
        options.flag("verbose", &verbose, "print every step");
        options.flag("cache", &cache, "keep encodings in memory");
        options.integer("epochs", &epochs, "passes over the data", 1, 1000);
        options.number("lr", &lr, "learning rate", 1e-6, 1.0);
        options.text("name", &name, "whose face");
        options.choice("mode", &mode, {"sgd", "adam"}, "optimiser");
        options.list("layers", &layers, "layers to read");
    }
};

std::string error_of(Program& p, const std::vector<std::string>& args) {
    return convlab::testing::error_of([&] { p.options.parse(args); });
}

}  // namespace

TEST_CASE("options: defaults stay when nothing is given" * doctest::test_suite("app.options")) {
    Program p;
    CHECK(p.options.parse(std::vector<std::string>{}));
    CHECK(p.epochs == 20);
    CHECK(p.lr == 0.01);
    CHECK(p.layers == std::vector<std::string>{"conv1", "conv2"});
    CHECK(p.cache);
    CHECK(p.options.positional().empty());
}

TEST_CASE("options: every kind of value, both spellings, positionals" * doctest::test_suite("app.options")) {
    Program p;
    p.options.positional_usage("enroll IMG...", "enrol the photos");
    CHECK(p.options.parse({"enroll", "--epochs", "30", "--lr=0.5", "--verbose", "--no-cache", "--mode", "adam",
                           "--name=", "--layers", "a,b", "face.png", "--layers=c", "--", "--not-an-option"}));
    CHECK(p.epochs == 30);
    CHECK(p.lr == 0.5);
    CHECK(p.verbose);
    CHECK_FALSE(p.cache);
    CHECK(p.mode == "adam");
    CHECK(p.name.empty());
    CHECK(p.layers == std::vector<std::string>{"a", "b", "c"});  // the default list is replaced, then extended
    CHECK(p.options.positional() == std::vector<std::string>{"enroll", "face.png", "--not-an-option"});
    Program q;
    CHECK(q.options.parse({"--lr", "1e-3", "--epochs", "1000"}));  // exponents; the range is inclusive
    CHECK(q.lr == 0.001);
    CHECK(q.epochs == 1000);
}

TEST_CASE("options: one clear line for each mistake" * doctest::test_suite("app.options")) {
    Program p;
    CHECK(error_of(p, {"--epoch", "3"}) == "unknown option --epoch (did you mean --epochs?)");
    CHECK(error_of(p, {"--bogus"}) == "unknown option --bogus (see --help)");
    CHECK(error_of(p, {"--epochs"}) == "--epochs: missing value (expected N)");
    CHECK(error_of(p, {"--epochs", "--verbose"}) == "--epochs: missing value (expected N)");
    CHECK(error_of(p, {"--epochs", "3x"}) == "--epochs: expected an integer in [1, 1000], got '3x'");
    CHECK(error_of(p, {"--epochs", "5000"}) == "--epochs: expected an integer in [1, 1000], got '5000'");
    CHECK(error_of(p, {"--epochs=2.5"}) == "--epochs: expected an integer in [1, 1000], got '2.5'");
    CHECK(error_of(p, {"--lr", "fast"}) == "--lr: expected a number in [1e-06, 1], got 'fast'");
    CHECK(error_of(p, {"--lr", "nan"}) == "--lr: expected a number in [1e-06, 1], got 'nan'");
    CHECK(error_of(p, {"--lr", "2"}) == "--lr: expected a number in [1e-06, 1], got '2'");
    CHECK(error_of(p, {"--mode", "rmsprop"}) == "--mode: expected one of sgd|adam, got 'rmsprop'");
    CHECK(error_of(p, {"--verbose=yes"}) == "--verbose is a flag and takes no value, got '--verbose=yes'");
    CHECK(error_of(p, {"--layers", "a,,b"}) ==
          "--layers: expected a comma-separated list without empty items, got 'a,,b'");
}

TEST_CASE("options: a program without positional arguments refuses a stray word" * doctest::test_suite("app.options")) {
    Program p;
    CHECK(error_of(p, {"--epochs", "3", "extra"}) ==
          "unexpected argument 'extra': 03_triplet_loss takes only options (usage: 03_triplet_loss [options]; see --help)");
    Program q;
    q.options.positional_usage("IMG", "a photo");
    CHECK(q.options.parse({"extra"}));
    CHECK(q.options.positional() == std::vector<std::string>{"extra"});
}

TEST_CASE("options: mistakes in the declarations are caught too" * doctest::test_suite("app.options")) {
    Program p;
    int64_t n = 0;
    CHECK_THROWS_WITH_AS(p.options.integer("epochs", &n, "again", 0, 1),
                         "03_triplet_loss: option --epochs is registered twice", Error);
    CHECK_THROWS_WITH_AS(p.options.integer("count", &n, "n", 1, 5),
                         "03_triplet_loss: --count: default 0 is outside [1, 5]", Error);
    CHECK_THROWS_WITH_AS(p.options.integer("--count", &n, "n", 0, 5),
                         "03_triplet_loss: option names are written without '--' and without '=', got '--count'",
                         Error);
    std::string mode = "x";
    CHECK_THROWS_WITH_AS(p.options.choice("kind", &mode, {"a", "b"}, "k"),
                         "03_triplet_loss: --kind: default 'x' is not one of a|b", Error);
}

TEST_CASE("options: common options, and --threads is applied" * doctest::test_suite("app.options")) {
    Options options("08_style_transfer", "Neural style transfer.");
    app::CommonOptions& common = options.common();
    CHECK(&options.common() == &common);  // registered once
    CHECK(common.out == "out/08_style_transfer");
    CHECK(options.parse(std::vector<std::string>{}));
    CHECK_FALSE(common.quick);
    CHECK(common.seed == 0);

    const int saved = num_threads();
    CHECK(options.parse({"--quick", "--seed", "42", "--out", "/tmp/x", "--data", "faces", "--threads", "1"}));
    CHECK(num_threads() == 1);
    set_num_threads(saved);
    CHECK(common.quick);
    CHECK(common.seed == 42);
    CHECK(common.out == "/tmp/x");
    CHECK(common.data == "faces");
    CHECK(common.threads == 1);
    CHECK_THROWS_WITH_AS(options.parse({"--threads", "-1"}), "--threads: expected an integer in [0, 1024], got '-1'",
                         Error);
}

TEST_CASE("options: --help prints the usage and asks the caller to stop" * doctest::test_suite("app.options")) {
    Program p;
    p.options.positional_usage("IMAGE...", "faces to enroll");
    std::ostringstream captured;
    std::streambuf* saved = std::cout.rdbuf(captured.rdbuf());
    const bool go_on = p.options.parse({"--epochs", "3", "--help"});
    std::cout.rdbuf(saved);
    CHECK_FALSE(go_on);
    const std::string usage = captured.str();
    CHECK(usage == p.options.usage());
    CHECK(usage.find("usage: 03_triplet_loss [options] IMAGE...\n\nTrain a face encoder with the triplet loss.\n") ==
          0);
    // each option, its metavar, its range and its default (the value before parsing: 20, not 3)
    CHECK(usage.find("\n  --epochs N            passes over the data (1..1000) [default: 20]\n") != std::string::npos);
    CHECK(usage.find("\n  --mode sgd|adam       optimiser [default: sgd]\n") != std::string::npos);
    CHECK(usage.find("\n  --verbose             print every step\n") != std::string::npos);
    CHECK(usage.find("--cache               keep encodings in memory [default: on; --no-cache turns it off]") !=
          std::string::npos);
    CHECK(usage.find("--layers A,B,...      layers to read [default: conv1,conv2]") != std::string::npos);
    CHECK(usage.find("\n  --help                show this help and exit\n") != std::string::npos);
}

TEST_CASE("options: a list with choices takes only those, each at most once" * doctest::test_suite("app.options")) {
    std::vector<std::string> minings{"random", "hard", "semi-hard"};
    Options options("03_triplet_loss", "Triplets.");
    options.list("mining", &minings, "triplet selections", {"random", "hard", "semi-hard"});
    CHECK(options.parse({"--mining", "semi-hard,random"}));
    CHECK(minings == std::vector<std::string>{"semi-hard", "random"});
    CHECK(convlab::testing::error_of([&] { options.parse({"--mining", "random,bogus"}); }) ==
          "--mining: expected a comma-separated list of random|hard|semi-hard, got 'bogus' in 'random,bogus'");
    CHECK(convlab::testing::error_of([&] { options.parse({"--mining", "hard", "--mining=hard"}); }) ==
          "--mining: expected each of random|hard|semi-hard at most once, got 'hard' twice");
    CHECK(options.usage().find("--mining {random|hard|semi-hard},...") != std::string::npos);
}

TEST_CASE("options: values_json, every option's value now; given() names what the command line set" *
          doctest::test_suite("app.options")) {
    Program p;
    app::CommonOptions& common = p.options.common();
    CHECK(common.parsed == nullptr);
    CHECK(p.options.parse({"--epochs", "30", "--no-cache", "--name", "a \"b\"", "--layers", "x,y", "--seed",
                           "9007199254740993", "--lr", "0.1"}));
    CHECK(common.parsed == &p.options);
    p.epochs = 5;  // a program's own cap (--quick) after parsing: what ran is recorded
    CHECK(p.options.values_json() ==
          "{\"verbose\": false, \"cache\": false, \"epochs\": 5, \"lr\": 0.1, \"name\": \"a \\\"b\\\"\", "
          "\"mode\": \"sgd\", \"layers\": [\"x\", \"y\"], \"quick\": false, \"data\": \"\", "
          "\"out\": \"out/03_triplet_loss\", \"seed\": 9007199254740993, \"threads\": 0}");
    CHECK(p.options.given("epochs"));
    CHECK(p.options.given("cache"));  // as --no-cache
    CHECK_FALSE(p.options.given("verbose"));
    CHECK_FALSE(p.options.given("out"));
    // the JSON reads back
    const JsonValue v = parse_json(p.options.values_json(), "values_json");
    CHECK(v.at("layers").at(1).as_string() == "y");
    CHECK(v.at("name").as_string() == "a \"b\"");
}
