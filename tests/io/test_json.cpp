// tests/io/test_json.cpp
//
// The JSON reader (io/json.hpp): a hand-written document read back value by value (escapes, \u to UTF-8,
// surrogate pairs, numbers at the edges of a double), the line:col of values, one message per kind of bad
// input, and the accessors' errors.
#include <cmath>
#include <string>
#include <vector>

#include "io/json.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
using convlab::testing::error_of;

TEST_CASE("parse_json: a hand-written document, value by value" * doctest::test_suite("io.json")) {
    const std::string text = R"({
  "name": "conv1/filters",
  "shape": [3, 3, 32, 1],
  "quantization": {"scale": 0.5, "min": -1.25e2, "dtype": "uint8"},
  "flags": [true, false, null],
  "empty": {}, "none": [],
  "escapes": "q\"b\\s\/n\nt\tu\u00e9\u20AC\uD83D\uDE00"
})";
    const JsonValue doc = parse_json(text, "hand.json");
    REQUIRE(doc.is_object());
    CHECK(doc.size() == 7);
    CHECK(doc.members()[0].first == "name");  // the source's order
    CHECK(doc.members()[6].first == "escapes");
    CHECK(doc.at("name").as_string() == "conv1/filters");
    const JsonValue& shape = doc.at("shape");
    REQUIRE(shape.is_array());
    CHECK(shape.size() == 4);
    CHECK(shape.at(0).as_integer() == 3);
    CHECK(shape.at(2).as_number() == 32.0);
    CHECK(doc.at("quantization").at("scale").as_number() == 0.5);
    CHECK(doc.at("quantization").at("min").as_number() == -125.0);
    CHECK(doc.at("flags").at(0).as_bool() == true);
    CHECK(doc.at("flags").at(1).as_bool() == false);
    CHECK(doc.at("flags").at(2).is_null());
    CHECK(doc.at("empty").size() == 0);
    CHECK(doc.at("none").elements().empty());
    CHECK(doc.has("quantization"));
    CHECK_FALSE(doc.has("Quantization"));
    CHECK_FALSE(shape.has("0"));  // not an object: no keys at all
    // \" \\ \/ \n \t, then U+00E9 (2 bytes), U+20AC (3 bytes) and U+1F600 from a surrogate pair (4 bytes)
    CHECK(doc.at("escapes").as_string() == "q\"b\\s/n\nt\tu\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    // raw UTF-8 passes through unchanged
    CHECK(parse_json("\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"", "t").as_string() == "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST_CASE("parse_json: numbers, exactly as strtod reads them" * doctest::test_suite("io.json")) {
    CHECK(parse_json("0", "t").as_number() == 0.0);
    CHECK(std::signbit(parse_json("-0", "t").as_number()));
    CHECK(parse_json("0.1", "t").as_number() == 0.1);
    CHECK(parse_json(" -12.5e-1 ", "t").as_number() == -1.25);
    CHECK(parse_json("1E+2", "t").as_number() == 100.0);
    CHECK(parse_json("0.0026856216729856004", "t").as_number() == 0.0026856216729856004);
    CHECK(parse_json("1.7976931348623157e308", "t").as_number() == 1.7976931348623157e308);
    CHECK(parse_json("1e-400", "t").as_number() == 0.0);  // below the smallest double: rounds to zero
    CHECK(parse_json("-9007199254740992", "t").as_integer() == -9007199254740992LL);
}

TEST_CASE("JsonValue::where: line and column of each value" * doctest::test_suite("io.json")) {
    const JsonValue doc = parse_json("{\n  \"a\": [1,\n        22]\n}", "w.json");
    CHECK(doc.where() == "w.json:1:1");
    CHECK(doc.at("a").where() == "w.json:2:8");
    CHECK(doc.at("a").at(1).where() == "w.json:3:9");
}

TEST_CASE("parse_json: every kind of bad input is one line naming source, line:col, expected and found" *
          doctest::test_suite("io.json")) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"", "bad.json:1:1: expected a value, found end of input"},
        {"  \n ", "bad.json:2:2: expected a value, found end of input"},
        {"[1,]", "bad.json:1:4: expected a value (object, array, string, number, true, false or null), found ']'"},
        {"{\"a\":1,}", "bad.json:1:8: expected a string key, found '}'"},
        {"{\"a\" 1}", "bad.json:1:6: expected ':' after the key, found '1'"},
        {"{\"a\":1 \"b\":2}", "bad.json:1:8: expected ',' or '}' after an object member, found '\"'"},
        {"[1 2]", "bad.json:1:4: expected ',' or ']' after an array element, found '2'"},
        {"[\n  1,\n  x]", "bad.json:3:3: expected a value (object, array, string, number, true, false or null), found 'x'"},
        {"01", "bad.json:1:2: expected '.', 'e' or the end of the number after a leading 0, found '1'"},
        {"-", "bad.json:1:2: expected a digit after '-', found end of input"},
        {"-a", "bad.json:1:2: expected a digit after '-', found 'a'"},
        {"1.", "bad.json:1:3: expected a digit after the decimal point, found end of input"},
        {"1.e5", "bad.json:1:3: expected a digit after the decimal point, found 'e'"},
        {"1e+", "bad.json:1:4: expected a digit in the exponent, found end of input"},
        {"+1", "bad.json:1:1: expected a value (object, array, string, number, true, false or null), found '+'"},
        {"NaN", "bad.json:1:1: expected a value (object, array, string, number, true, false or null), found 'N'"},
        {"1e999", "bad.json:1:1: expected a number within the range of a double, found 1e999"},
        {"tru", "bad.json:1:4: expected 'true', found end of input"},
        {"nul1", "bad.json:1:4: expected 'null', found '1'"},
        {"truex", "bad.json:1:5: expected end of input after the value, found 'x'"},
        {"1 2", "bad.json:1:3: expected end of input after the value, found '2'"},
        {"// note\n1", "bad.json:1:1: expected a value (object, array, string, number, true, false or null), found '/'"},
        {"\"abc", "bad.json:1:5: expected '\"' closing the string opened at 1:1, found end of input"},
        {"\"a\tb\"", "bad.json:1:3: expected a control character escaped (\\n, \\t, \\u00XX) inside a string, found byte \\x09"},
        {"\"\\x\"", "bad.json:1:3: expected an escape: one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX, found 'x'"},
        {"\"\\", "bad.json:1:3: expected an escape after '\\', found end of input"},
        {"\"\\u12G4\"", "bad.json:1:6: expected 4 hex digits after \\u, found 'G'"},
        {"\"\\uDC00\"", "bad.json:1:8: expected a high surrogate (\\uD800-\\uDBFF) before a low one, found a low one"},
        {"\"\\uD800x\"", "bad.json:1:8: expected \\uDC00-\\uDFFF completing the surrogate pair, found 'x'"},
        {"\"\\uD800\\u0041\"", "bad.json:1:14: expected \\uDC00-\\uDFFF completing the surrogate pair, found \\u0041"},
        {"\"\xFF\"", "bad.json:1:2: expected valid UTF-8 inside a string, found byte \\xFF"},
        {"\"\xC0\xAF\"", "bad.json:1:2: expected valid UTF-8 inside a string, found byte \\xC0"},          // overlong '/'
        {"\"\xED\xA0\x80\"", "bad.json:1:2: expected valid UTF-8 inside a string, found byte \\xED"},      // a surrogate
        {"\"\xE2\x82\"", "bad.json:1:2: expected valid UTF-8 inside a string, found byte \\xE2"},          // cut short
        {"{\"a\":1,\"a\":2}", "bad.json:1:8: expected a new key in this object, found 'a' a second time"},
        {"{1:2}", "bad.json:1:2: expected a string key, found '1'"},
    };
    for (const auto& [text, message] : cases) {
        INFO("input: " << text);
        CHECK(error_of([&] { parse_json(text, "bad.json"); }) == message);
    }
}

TEST_CASE("parse_json: nesting deeper than kJsonMaxDepth is refused" * doctest::test_suite("io.json")) {
    const int n = kJsonMaxDepth;
    const JsonValue deepest = parse_json(std::string(n, '[') + std::string(n, ']'), "deep.json");
    CHECK(deepest.size() == 1);
    CHECK(error_of([&] { parse_json(std::string(n + 1, '[') + std::string(n + 1, ']'), "deep.json"); }) ==
          "deep.json:1:" + std::to_string(n + 1) + ": expected at most " + std::to_string(n) +
              " nested arrays and objects, found more");
    CHECK(error_of([&] { parse_json(std::string(100000, '['), "deep.json"); }).find("nested") != std::string::npos);
}

TEST_CASE("JsonValue accessors: asking for the wrong kind names the place" * doctest::test_suite("io.json")) {
    const JsonValue doc = parse_json("{\"a\": \"x\", \"n\": [1.5, 2]}", "acc.json");
    CHECK(error_of([&] { doc.at("a").as_number(); }) == "acc.json:1:7: expected a number, found a string");
    CHECK(error_of([&] { doc.at("n").as_string(); }) == "acc.json:1:17: expected a string, found an array");
    CHECK(error_of([&] { doc.at("a").as_bool(); }) == "acc.json:1:7: expected true or false, found a string");
    CHECK(error_of([&] { doc.at(0); }) == "acc.json:1:1: expected an array, found an object");
    CHECK(error_of([&] { doc.at("n").at("k"); }) == "acc.json:1:17: expected an object, found an array");
    CHECK(error_of([&] { doc.at("n").at(2); }) ==
          "acc.json:1:17: expected an index below 2 (the array's length), found 2");
    CHECK(error_of([&] { doc.at("zz"); }) == "acc.json:1:1: expected a key 'zz' in this object, found only: a, n");
    CHECK(error_of([&] { doc.at("n").at(0).as_integer(); }) ==
          "acc.json:1:18: expected an integer (at most 2^53), found 1.5");
    CHECK(error_of([&] { doc.at("a").size(); }) == "acc.json:1:7: expected an array or an object, found a string");
    CHECK(doc.at("n").at(1).as_integer() == 2);
}
