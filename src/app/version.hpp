// src/app/version.hpp
//
// The version of convlab a program reports (metrics.json's "version"): `git describe --always --dirty` of
// the source when it was built from a git checkout ("e36caea", "v0.1.0-12-ge36caea-dirty"), else kVersion.
//
// The text is compiled into one generated file, $(BUILD)/gen/version.cpp, which `make` rewrites only when
// the text changes: a new commit recompiles that file and relinks the programs, nothing else.
#pragma once

namespace convlab::app {

constexpr const char* kVersion = "0.1.0";  // the release, when the source is not a git checkout

// The version text built into this program.
const char* version();

}  // namespace convlab::app
