#!/usr/bin/env bash
# make_student.sh OUT: writes the student copy of this repository into OUT.
#
# Every graded body, written between
#     // BEGIN SOLUTION <exercise-id>
#     ...
#     // END SOLUTION
# is replaced by a stub that throws not_implemented("<exercise-id>"); the markers stay, so the student knows
# where to write, and the stub is padded to the body's length so every other line keeps its number. Everything
# else is copied unchanged (tracked files only: no build/ or out/), except the grader's wrong bodies
# (tests/grader/cheats/). With BUILD_FROM=dir, the objects of dir/build are copied too, so that only the
# stubbed files compile (the grader's self-test).
set -euo pipefail
out=${1:?usage: make_student.sh OUT}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

[ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ] && { echo "make student: $out exists and is not empty" >&2; exit 1; }
mkdir -p "$out"

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  files=$(git ls-files --cached --others --exclude-standard)
else
  files=$(find . -type f -not -path './build*' -not -path './out/*' -not -path './.git/*' | sed 's|^\./||')
fi

stubbed=0
while IFS= read -r f; do
  [ -f "$f" ] || continue
  mkdir -p "$out/$(dirname "$f")"
  case "$f" in
    tests/grader/cheats/*) ;;                  # wrong bodies close to the answers: the instructor's only
    tests/grader/*) cp -p "$f" "$out/$f" ;;   # the grader keeps its own examples of markers verbatim
    *.cpp|*.hpp|*.h)
      if grep -q 'BEGIN SOLUTION' "$f"; then
        awk -f tests/grader/stub_solutions.awk "$f" > "$out/$f"
        stubbed=$((stubbed + 1))
      else
        cp -p "$f" "$out/$f"
      fi ;;
    *) cp -p "$f" "$out/$f" ;;
  esac
done <<< "$files"
if [ -n "${BUILD_FROM:-}" ] && [ -d "$BUILD_FROM/build/obj" ]; then
  mkdir -p "$out/build" && cp -a "$BUILD_FROM/build/obj" "$BUILD_FROM/build/.deps-ok" "$BUILD_FROM"/build/*.a "$out/build/"
  find "$out/build" -type f -exec touch {} +
  sleep 1  # a stubbed file must be newer than its object
  grep -rlE '// BEGIN SOLUTION' "$out/src" "$out/chapters" | xargs touch
fi
echo "make student: wrote $out ($stubbed files with exercises stubbed)"
