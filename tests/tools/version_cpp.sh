#!/usr/bin/env bash
# version_cpp.sh FILE: writes FILE, the C++ definition of app::version() (src/app/version.hpp): the text of
# `git describe --always --dirty` when the source is a git checkout, else app::kVersion. FILE is replaced only
# when its text changes, so make recompiles it (and relinks) only then.
set -euo pipefail
file=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
describe=$(git -C "$top" describe --always --dirty 2>/dev/null || true)
value=kVersion
[ -n "$describe" ] && value="\"${describe//\"/\\\"}\""
text="// Written by tests/tools/version_cpp.sh (make): the version the programs report (app/version.hpp).
#include \"app/version.hpp\"

const char* convlab::app::version() { return $value; }"
mkdir -p "$(dirname "$file")"
if [ ! -f "$file" ] || [ "$(cat "$file")" != "$text" ]; then
  printf '%s\n' "$text" > "$file.$$.tmp" && mv -f "$file.$$.tmp" "$file"
fi
