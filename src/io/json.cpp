// src/io/json.cpp
//
// Recursive descent over the grammar of RFC 8259:
//   value  = object | array | string | number | "true" | "false" | "null"
//   object = '{' [ string ':' value { ',' string ':' value } ] '}'
//   array  = '[' [ value { ',' value } ] ']'
//   number = [ '-' ] ( '0' | [1-9] digit* ) [ '.' digit+ ] [ ( 'e' | 'E' ) [ '+' | '-' ] digit+ ]
//   string = '"' { any UTF-8 character but '"', '\' and U+0000..U+001F  |  '\' escape } '"'
// with whitespace (space, tab, CR, LF) allowed around every token. The parser keeps the line and column of
// where it is, so that every error, and every value, can say where in the source it is.
#include "io/json.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <sstream>
#include <unordered_set>

#include "core/error.hpp"

namespace convlab {
namespace {

// Bytes shown in a one-line message: printable ASCII as it is, anything else as \xNN; long texts cut.
std::string printable(const std::string& bytes, size_t max_chars = 60) {
    std::string out;
    for (size_t i = 0; i < bytes.size() && i < max_chars; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x20 && c < 0x7F) {
            out.push_back(static_cast<char>(c));
        } else {
            static const char* hex = "0123456789ABCDEF";
            out += "\\x";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    if (bytes.size() > max_chars) out += "...";
    return out;
}

std::string number_text(double x) {
    std::ostringstream s;
    s << std::setprecision(15) << x;
    return s.str();
}

// Appends code point cp (U+0000..U+10FFFF, not a surrogate) as 1 to 4 bytes of UTF-8.
void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// Length of the well-formed UTF-8 sequence at p (lead byte >= 0x80; at most `room` bytes readable), or 0 if
// it is not one: overlong forms, surrogates (U+D800..U+DFFF) and code points above U+10FFFF are refused.
size_t utf8_sequence_length(const unsigned char* p, size_t room) {
    const unsigned char b = p[0];
    size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b >= 0xC2 && b <= 0xDF) {
        n = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 3;
        if (b == 0xE0) lo = 0xA0;
        if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4;
        if (b == 0xF0) lo = 0x90;
        if (b == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (room < n || p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < n; ++i)
        if ((p[i] & 0xC0) != 0x80) return 0;
    return n;
}

}  // namespace

class JsonParser {
public:
    JsonParser(const std::string& text, const std::string& source)
        : text_(text), source_(std::make_shared<const std::string>(source)) {}

    JsonValue parse_document() {
        JsonValue v = value(0);
        skip_whitespace();
        if (pos_ < text_.size()) error("end of input after the value");
        return v;
    }

private:
    const std::string& text_;
    std::shared_ptr<const std::string> source_;
    size_t pos_ = 0, line_ = 1, line_start_ = 0;

    bool at_end() const { return pos_ >= text_.size(); }
    unsigned char peek() const { return static_cast<unsigned char>(text_[pos_]); }
    size_t column() const { return pos_ - line_start_ + 1; }

    // What is at the current position, for "found ...": a character, a byte, or the end.
    std::string found() const {
        if (at_end()) return "end of input";
        const unsigned char c = peek();
        if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
        return "byte " + printable(std::string(1, static_cast<char>(c)));
    }

    [[noreturn]] void error(const std::string& expected) const { error(expected, found()); }
    [[noreturn]] void error(const std::string& expected, const std::string& what) const {
        fail(*source_, ":", line_, ":", column(), ": expected ", expected, ", found ", what);
    }

    void advance() {
        if (text_[pos_] == '\n') {
            ++line_;
            line_start_ = pos_ + 1;
        }
        ++pos_;
    }

    void skip_whitespace() {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) advance();
    }

    void expect(char c, const char* expected) {
        if (at_end() || peek() != static_cast<unsigned char>(c)) error(expected);
        advance();
    }

    bool is_digit() const { return !at_end() && peek() >= '0' && peek() <= '9'; }

    JsonValue start_value(JsonValue::Kind kind) const {
        JsonValue v;
        v.kind_ = kind;
        v.source_ = source_;
        v.line_ = static_cast<uint32_t>(line_);
        v.col_ = static_cast<uint32_t>(column());
        return v;
    }

    JsonValue value(int depth) {
        skip_whitespace();
        if (at_end()) error("a value");
        switch (peek()) {
            case '{': return object(depth + 1);
            case '[': return array(depth + 1);
            case '"': {
                JsonValue v = start_value(JsonValue::Kind::String);
                v.string_ = string();
                return v;
            }
            case 't': return literal("true", JsonValue::Kind::Bool, true);
            case 'f': return literal("false", JsonValue::Kind::Bool, false);
            case 'n': return literal("null", JsonValue::Kind::Null, false);
            default:
                if (peek() == '-' || is_digit()) return number();
                error("a value (object, array, string, number, true, false or null)");
        }
    }

    JsonValue literal(const char* word, JsonValue::Kind kind, bool b) {
        JsonValue v = start_value(kind);
        v.bool_ = b;
        for (const char* w = word; *w != '\0'; ++w) {
            if (at_end() || peek() != static_cast<unsigned char>(*w)) error(std::string("'") + word + "'");
            advance();
        }
        return v;
    }

    JsonValue number() {
        JsonValue v = start_value(JsonValue::Kind::Number);
        const size_t start = pos_;
        if (peek() == '-') advance();
        if (!is_digit()) error("a digit after '-'");
        if (peek() == '0') {
            advance();
            if (is_digit()) error("'.', 'e' or the end of the number after a leading 0");
        } else {
            while (is_digit()) advance();
        }
        if (!at_end() && peek() == '.') {
            advance();
            if (!is_digit()) error("a digit after the decimal point");
            while (is_digit()) advance();
        }
        if (!at_end() && (peek() == 'e' || peek() == 'E')) {
            advance();
            if (!at_end() && (peek() == '+' || peek() == '-')) advance();
            if (!is_digit()) error("a digit in the exponent");
            while (is_digit()) advance();
        }
        const char* first = text_.data() + start;
        const char* last = text_.data() + pos_;
        const auto [end, ec] = std::from_chars(first, last, v.number_);
        if (ec == std::errc::result_out_of_range) {
            // too small rounds to a denormal or zero (as every JSON reader does); too large is refused
            v.number_ = std::strtod(std::string(first, last).c_str(), nullptr);
            if (std::isinf(v.number_))
                fail(*source_, ":", v.line_, ":", v.col_, ": expected a number within the range of a double, found ",
                     printable(std::string(first, last)));
        } else if (ec != std::errc() || end != last) {
            fail(*source_, ":", v.line_, ":", v.col_, ": expected a number, found ", printable(std::string(first, last)));
        }
        return v;
    }

    uint32_t hex4() {
        uint32_t u = 0;
        for (int i = 0; i < 4; ++i) {
            if (at_end() || !std::isxdigit(peek())) error("4 hex digits after \\u");
            const unsigned char c = peek();
            u = u * 16 + uint32_t(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
            advance();
        }
        return u;
    }

    // The string starting at the current '"', unescaped.
    std::string string() {
        const size_t open_line = line_, open_col = column();
        advance();  // the opening quote
        std::string out;
        for (;;) {
            if (at_end())
                error("'\"' closing the string opened at " + std::to_string(open_line) + ":" + std::to_string(open_col));
            const unsigned char c = peek();
            if (c == '"') {
                advance();
                return out;
            }
            if (c < 0x20) error("a control character escaped (\\n, \\t, \\u00XX) inside a string");
            if (c >= 0x80) {
                const size_t n = utf8_sequence_length(reinterpret_cast<const unsigned char*>(text_.data()) + pos_,
                                                      text_.size() - pos_);
                if (n == 0) error("valid UTF-8 inside a string");
                out.append(text_, pos_, n);
                pos_ += n;  // no newline inside: the column counts bytes
                continue;
            }
            advance();
            if (c != '\\') {
                out.push_back(static_cast<char>(c));
                continue;
            }
            if (at_end()) error("an escape after '\\'");
            const unsigned char e = peek();
            static const std::string simple = "\"\\/bfnrt", meaning = "\"\\/\b\f\n\r\t";
            const size_t k = simple.find(static_cast<char>(e));
            if (k != std::string::npos) {
                out.push_back(meaning[k]);
                advance();
                continue;
            }
            if (e != 'u') error("an escape: one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
            advance();
            uint32_t cp = hex4();
            if (cp >= 0xDC00 && cp <= 0xDFFF) error("a high surrogate (\\uD800-\\uDBFF) before a low one", "a low one");
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (text_.compare(pos_, 2, "\\u") != 0) error("\\uDC00-\\uDFFF completing the surrogate pair");
                advance();
                advance();
                const uint32_t low = hex4();
                if (low < 0xDC00 || low > 0xDFFF)
                    error("\\uDC00-\\uDFFF completing the surrogate pair", "\\u" + printable(text_.substr(pos_ - 4, 4)));
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            }
            append_utf8(out, cp);
        }
    }

    // Steps over the '[' or '{' of an array or object (checking the depth) and the whitespace after it.
    JsonValue open(JsonValue::Kind kind, int depth) {
        if (depth > kJsonMaxDepth) error("at most " + std::to_string(kJsonMaxDepth) + " nested arrays and objects", "more");
        JsonValue v = start_value(kind);
        advance();
        skip_whitespace();
        return v;
    }

    // Steps over c if it is next.
    bool accept(char c) {
        if (at_end() || peek() != static_cast<unsigned char>(c)) return false;
        advance();
        return true;
    }

    JsonValue array(int depth) {
        JsonValue v = open(JsonValue::Kind::Array, depth);
        if (accept(']')) return v;
        for (;;) {
            v.elements_.push_back(value(depth));
            skip_whitespace();
            if (accept(',')) continue;
            expect(']', "',' or ']' after an array element");
            return v;
        }
    }

    JsonValue object(int depth) {
        JsonValue v = open(JsonValue::Kind::Object, depth);
        if (accept('}')) return v;
        std::unordered_set<std::string> keys;
        for (;;) {
            skip_whitespace();
            if (at_end() || peek() != '"') error("a string key");
            const size_t key_line = line_, key_col = column();
            std::string key = string();
            if (!keys.insert(key).second)
                fail(*source_, ":", key_line, ":", key_col, ": expected a new key in this object, found '", printable(key),
                     "' a second time");
            skip_whitespace();
            expect(':', "':' after the key");
            JsonValue member = value(depth);
            v.members_.emplace_back(std::move(key), std::move(member));
            skip_whitespace();
            if (accept(',')) continue;
            expect('}', "',' or '}' after an object member");
            return v;
        }
    }
};

JsonValue parse_json(const std::string& text, const std::string& source) {
    return JsonParser(text, source).parse_document();
}

// ---- accessors ----------------------------------------------------------------------------------------

std::string JsonValue::where() const {
    return (source_ ? *source_ : std::string("(json)")) + ":" + std::to_string(line_) + ":" + std::to_string(col_);
}

const char* JsonValue::kind_name(Kind kind) {
    switch (kind) {
        case Kind::Null: return "null";
        case Kind::Bool: return "true or false";
        case Kind::Number: return "a number";
        case Kind::String: return "a string";
        case Kind::Array: return "an array";
        case Kind::Object: return "an object";
    }
    return "?";
}

void JsonValue::wrong_kind(Kind expected) const {
    fail(where(), ": expected ", kind_name(expected), ", found ", kind_name(kind_));
}

bool JsonValue::as_bool() const {
    if (kind_ != Kind::Bool) wrong_kind(Kind::Bool);
    return bool_;
}

double JsonValue::as_number() const {
    if (kind_ != Kind::Number) wrong_kind(Kind::Number);
    return number_;
}

int64_t JsonValue::as_integer() const {
    const double x = as_number();
    check(std::floor(x) == x && std::fabs(x) <= 9007199254740992.0, where(), ": expected an integer (at most 2^53), found ",
          number_text(x));
    return static_cast<int64_t>(x);
}

const std::string& JsonValue::as_string() const {
    if (kind_ != Kind::String) wrong_kind(Kind::String);
    return string_;
}

size_t JsonValue::size() const {
    if (kind_ == Kind::Array) return elements_.size();
    if (kind_ == Kind::Object) return members_.size();
    fail(where(), ": expected an array or an object, found ", kind_name(kind_));
}

const JsonValue& JsonValue::at(size_t i) const {
    const std::vector<JsonValue>& e = elements();
    check(i < e.size(), where(), ": expected an index below ", e.size(), " (the array's length), found ", i);
    return e[i];
}

const JsonValue& JsonValue::at(const std::string& key) const {
    for (const Member& m : members())
        if (m.first == key) return m.second;
    std::string keys;
    for (size_t i = 0; i < members_.size() && i < 8; ++i) keys += (i ? ", " : "") + printable(members_[i].first, 30);
    if (members_.size() > 8) keys += ", ...";
    fail(where(), ": expected a key '", printable(key), "' in this object, found only: ", keys.empty() ? "(none)" : keys);
}

bool JsonValue::has(const std::string& key) const {
    if (kind_ != Kind::Object) return false;
    for (const Member& m : members_)
        if (m.first == key) return true;
    return false;
}

const std::vector<JsonValue>& JsonValue::elements() const {
    if (kind_ != Kind::Array) wrong_kind(Kind::Array);
    return elements_;
}

const std::vector<JsonValue::Member>& JsonValue::members() const {
    if (kind_ != Kind::Object) wrong_kind(Kind::Object);
    return members_;
}

std::string json_quote(const std::string& s) {
    static const char* hex = "0123456789abcdef";
    std::string out = "\"";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20) {
            out += std::string("\\u00") + hex[c >> 4] + hex[c & 15];
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

std::string json_number(double value) {
    if (!std::isfinite(value)) return "null";
    const auto as_float = static_cast<float>(value);
    char buf[32];
    const auto result = static_cast<double>(as_float) == value ? std::to_chars(buf, buf + sizeof buf, as_float)
                                                               : std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, result.ptr);
}

}  // namespace convlab
