// src/io/json.hpp
//
// A small, strict JSON reader (RFC 8259), for the files that come from outside: the tfjs weights manifests
// of the pretrained face networks and the reference outputs the tests compare against.
//
//   const JsonValue doc = parse_json(read_file(path), path);
//   for (size_t i = 0; i < doc.size(); ++i) doc.at(i).at("name").as_string();
//
// Strict: one value and nothing after it, no comments, no trailing commas, no duplicate keys, no NaN, no
// leading zeros or '+', strings in valid UTF-8 with control characters escaped; \uXXXX escapes (surrogate
// pairs too) become UTF-8. Numbers are doubles. Nesting deeper than kJsonMaxDepth is refused (the parser
// recurses). Every error is one line: "<source>:<line>:<col>: expected ..., found ...", and a value asked
// for the wrong kind (as_number() on a string, at("key") on an array) names where it is in the source too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace convlab {

constexpr int kJsonMaxDepth = 64;  // arrays and objects inside each other

class JsonValue {
public:
    enum class Kind { Null, Bool, Number, String, Array, Object };
    using Member = std::pair<std::string, JsonValue>;

    Kind kind() const { return kind_; }
    bool is_null() const { return kind_ == Kind::Null; }
    bool is_bool() const { return kind_ == Kind::Bool; }
    bool is_number() const { return kind_ == Kind::Number; }
    bool is_string() const { return kind_ == Kind::String; }
    bool is_array() const { return kind_ == Kind::Array; }
    bool is_object() const { return kind_ == Kind::Object; }

    // The value itself; each throws convlab::Error naming the place in the source if the kind is wrong.
    bool as_bool() const;
    double as_number() const;
    int64_t as_integer() const;  // a number with no fraction, |n| <= 2^53
    const std::string& as_string() const;

    // Arrays and objects: number of elements or members (Error for any other kind).
    size_t size() const;
    const JsonValue& at(size_t i) const;                   // array element (Error when out of range)
    const JsonValue& at(const std::string& key) const;     // object member (Error when absent)
    bool has(const std::string& key) const;                // false for a value that is not an object
    const std::vector<JsonValue>& elements() const;        // array elements, in order
    const std::vector<Member>& members() const;            // object members, in the source's order

    // "<source>:<line>:<col>", where the value starts (lines and columns count from 1, columns in bytes).
    std::string where() const;
    static const char* kind_name(Kind kind);  // "null", "a number", "an object", ...

private:
    friend class JsonParser;
    [[noreturn]] void wrong_kind(Kind expected) const;

    Kind kind_ = Kind::Null;
    bool bool_ = false;
    double number_ = 0;
    std::string string_;
    std::vector<JsonValue> elements_;
    std::vector<Member> members_;
    std::shared_ptr<const std::string> source_;
    uint32_t line_ = 0, col_ = 0;
};

// Parses the whole text as one JSON value. `source` names it in error messages (usually the file's path).
JsonValue parse_json(const std::string& text, const std::string& source);

// s as a JSON string literal: quotes, backslashes and control characters escaped (the writing side, for
// metrics.json and the programs' --json output).
std::string json_quote(const std::string& s);

// value as a JSON number: the shortest text that reads back to the same value, at float precision when the
// value is a float's (0.1f -> 0.1, not 0.10000000149011612); NaN and infinities, which JSON lacks, as null.
std::string json_number(double value);

}  // namespace convlab
