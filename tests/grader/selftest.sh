#!/usr/bin/env bash
# selftest.sh: tests of the grader itself (run by CI through `make grade-selftest`).
#   1. on this (solution) copy every exercise passes;
#   2. the student copy holds no line of any solution (find_leaks.sh); it builds, every exercise fails, and every test outside the exercises passes
#      (except suites named *.integration, which use several exercises at once);
#   3. a student copy with one exercise filled back in passes exactly that one.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)
work=$(mktemp -d /tmp/convlab-grader.XXXXXX)  # kept when a check fails, for a look at the student copy

say() { printf '\n== grader self-test: %s\n' "$*"; }
exercises=$(grep -rhoE 'BEGIN SOLUTION [A-Za-z0-9_.]+' src chapters | sed 's/BEGIN SOLUTION //' | awk '!seen[$0]++')
n=$(printf '%s\n' "$exercises" | wc -l)

say "1. the solution passes all $n exercises"
make -s -j"$jobs" all
tests/grader/grade.sh build/bin/tests > "$work/solution.txt" || { cat "$work/solution.txt"; echo "FAIL: solution does not pass"; exit 1; }
tail -n 1 "$work/solution.txt"

say "2. the student copy builds and fails every exercise, and nothing else"
tests/grader/make_student.sh "$work/student"
tests/grader/find_leaks.sh . "$work/student" || { echo "FAIL: the student copy gives solutions away"; exit 1; }
make -s -C "$work/student" -j"$jobs" all
( cd "$work/student" && tests/grader/grade.sh build/bin/tests ) > "$work/student.txt" || true
passing=$(awk 'NR > 2 && $3 == "pass" {print $1}' "$work/student.txt")
[ -z "$passing" ] || { cat "$work/student.txt"; echo "FAIL: exercises pass on the student copy: $passing"; exit 1; }
echo "all $n exercises fail on the student copy"
exclude=$(printf '%s\n' "$exercises" | paste -sd, -)
"$work/student/build/bin/tests" -tse="$exclude,*.integration" --no-version > "$work/others.txt" 2>&1 \
  || { grep -E 'TEST SUITE:|TEST CASE:|ERROR' "$work/others.txt" | head -n 60
        echo "FAIL: tests outside the exercises fail on the student copy (kept in $work)"; exit 1; }
tail -n 2 "$work/others.txt" | head -n 1

first=$(printf '%s\n' "$exercises" | head -n 1)
say "3. filling back '$first' passes exactly that exercise"
file=$(grep -rlE "BEGIN SOLUTION $first( |$)" src chapters | head -n 1)
awk -v keep="$first" -f tests/grader/stub_solutions.awk "$file" > "$work/student/$file"
make -s -C "$work/student" -j"$jobs" all
( cd "$work/student" && tests/grader/grade.sh build/bin/tests ) > "$work/filled.txt" || true
passing=$(awk 'NR > 2 && $3 == "pass" {print $1}' "$work/filled.txt")
[ "$passing" = "$first" ] || { cat "$work/filled.txt"; echo "FAIL: expected only $first to pass, got: $passing"; exit 1; }
echo "only $first passes"
say "passed"
rm -rf "$work"
