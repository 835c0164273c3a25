#!/usr/bin/env bash
# grade_submission.sh SUBMISSION [EXERCISE-ID]: grades a student's copy against this (the instructor's) tree.
#
# The exercise list, the points, the tests and everything outside the exercise bodies come from this tree:
# a copy of it is kept in $GRADE_WORK (default build/grading/tree, its objects reused from one submission to
# the next), each "// BEGIN SOLUTION <id>" body of it is replaced by the submission's body of the same id
# (splice_bodies.awk), and grade.sh scores that copy. So deleted or edited markers, a changed points= or an
# edited test in the submission change nothing but that exercise's own score. A body that does not compile
# scores 0 alone (its file is compiled once per body to find which). Functions a student wrote outside the
# markers are not taken. Writes SUBMISSION/grade.json; the exit status is grade.sh's.
set -uo pipefail
sub=$(cd "${1:?usage: grade_submission.sh SUBMISSION [EXERCISE-ID]}" 2>/dev/null && pwd) \
  || { echo "grade: submission folder '$1' not found" >&2; exit 2; }
only=${2:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
work=${GRADE_WORK:-$top/build/grading/tree}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
here=$top/tests/grader

files=$(git ls-files --cached --others --exclude-standard 2>/dev/null) \
  || files=$(find . -type f -not -path './build*' -not -path './out/*' -not -path './.git/*' | sed 's|^\./||')
files=$(grep -v '^tests/grader/cheats/' <<< "$files")
graded=$(grep -lE '// BEGIN SOLUTION' $(grep -E '^(src|chapters)/.*\.(cpp|hpp)$' <<< "$files"))

# The instructor's tree, copied once with its objects (every source older than them: nothing rebuilds), then
# kept equal to it: a file that differs is rewritten (a new time, so make rebuilds what depends on it).
make -s -j"$jobs" build/bin/tests || { echo "grade: the instructor's tree does not build"; exit 2; }
if [ ! -f "$work/Makefile" ]; then
  mkdir -p "$work"
  while IFS= read -r f; do mkdir -p "$work/$(dirname "$f")" && cp -p "$f" "$work/$f"; done <<< "$files"
  if [ -d build/obj ]; then
    mkdir -p "$work/build" && cp -a build/obj build/.deps-ok "$work/build/" 2>/dev/null
    cp -a build/*.a "$work/build/" 2>/dev/null
    find "$work/build" -type f -exec touch {} +
  fi
else
  while IFS= read -r f; do
    grep -qxF "$f" <<< "$graded" && continue
    cmp -s "$f" "$work/$f" || { mkdir -p "$work/$(dirname "$f")" && cp "$f" "$work/$f"; }
  done <<< "$files"
fi

# splice FILE STUBS: the work copy of FILE with the submission's bodies, except the ids in STUBS
splice() {
  local tmp="$work/$1.splice"
  awk -v submitted="$( [ -f "$sub/$1" ] && echo "$sub/$1" || echo /dev/null )" -v stub="$2" \
      -f "$here/splice_bodies.awk" "$1" > "$tmp"
  if cmp -s "$tmp" "$work/$1"; then rm -f "$tmp"; else mv -f "$tmp" "$work/$1"; fi
}
ids_in() { grep -ohE 'BEGIN SOLUTION [A-Za-z0-9_.]+' "$1" | sed 's/BEGIN SOLUTION //' | sort -u; }

for f in $graded; do splice "$f" ""; done
: > "$work/.no-compile"
log=$work/.build.log
if ! make -C "$work" -k -j"$jobs" build/bin/tests > "$log" 2>&1; then
  # a file that does not compile: each of its bodies alone, the others stubbed; keep those that compile
  broken=$(grep -oE '^(src|chapters)/[^:]+\.(cpp|hpp):[0-9]+:[0-9]+: error' "$log" | cut -d: -f1 | sort -u)
  for f in $broken; do
    grep -qxF "$f" <<< "$graded" || { cat "$log"; echo "grade: $f does not compile and holds no exercise"; exit 2; }
    ids=$(ids_in "$f"); bad=""
    for id in $ids; do
      splice "$f" "$(grep -vxF "$id" <<< "$ids" | tr '\n' ' ')"
      if ! make -C "$work" "build/obj/${f%.*}.o" > "$log.one" 2>&1; then
        bad="$bad $id"
        echo "$id $(grep -m1 -E ': error' "$log.one" | sed -E 's/^([^:]+:[0-9]+):[0-9]+: error: /\1 /' | cut -c1-160)" >> "$work/.no-compile"
      fi
    done
    splice "$f" "$bad"
  done
  make -C "$work" -j"$jobs" build/bin/tests > "$log" 2>&1 || { cat "$log"; echo "grade: the submission does not build"; exit 2; }
fi

cd "$work"
GRADE_JSON="$sub/grade.json" NO_COMPILE="$work/.no-compile" "$work/tests/grader/grade.sh" build/bin/tests $only
