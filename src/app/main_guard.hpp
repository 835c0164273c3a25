// src/app/main_guard.hpp
//
// The main() of every chapter program:
//
//   int main(int argc, char** argv) {
//       return convlab::app::guarded_main("08_style_transfer", [&] { ... return 0; });
//   }
//
// Bad input anywhere (a missing file, a wrong shape, an unknown option) throws convlab::Error; here it
// becomes one line on stderr, "08_style_transfer: error: <message>", and exit status 1, never a crash.
// (The face tool, whose status 1 means "some face did not match", passes error_status 2.)
#pragma once

#include <functional>
#include <string>

namespace convlab::app {

// Runs body() and returns its status; on an exception prints "<program>: error: <message>" to stderr and
// returns error_status.
int guarded_main(const std::string& program, const std::function<int()>& body, int error_status = 1);

}  // namespace convlab::app
