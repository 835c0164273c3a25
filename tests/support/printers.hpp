// tests/support/printers.hpp
//
// How doctest prints the values the tests compare, so that a failing check shows both sides instead of {?}:
//   std::vector<T> (Shape is std::vector<int64_t>)   (2, 3, 4), up to 16 values, then ", ... (N values)"
#pragma once

#include <doctest/doctest.h>

#include <sstream>
#include <vector>

namespace doctest {

template <typename T>
struct StringMaker<std::vector<T>> {
    static String convert(const std::vector<T>& v) {
        std::ostringstream out;
        out << '(';
        for (size_t i = 0; i < v.size() && i < 16; ++i) out << (i ? ", " : "") << toString(v[i]);
        if (v.size() > 16) out << ", ... (" << v.size() << " values)";
        out << ')';
        return String(out.str().c_str());
    }
};

}  // namespace doctest
