#!/usr/bin/env bash
# grade.sh TEST_BIN [EXERCISE-ID]: runs each exercise's tests and prints a score table.
#
# The exercises are the "// BEGIN SOLUTION <id> [points=N]" markers in src/ and chapters/ (1 point unless
# given). An exercise's tests are the doctest suite named exactly <id>. Writes grade.json (for autograders)
# beside the Makefile. Exit status 0 only when every graded exercise passes.
set -uo pipefail
bin=${1:?usage: grade.sh TEST_BIN [EXERCISE-ID]}
only=${2:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

exercises=$(grep -rhoE 'BEGIN SOLUTION [A-Za-z0-9_.]+( points=[0-9]+)?' src chapters 2>/dev/null \
            | sed -E 's/BEGIN SOLUTION //' | awk '!seen[$1]++' | sort -k1,1)
[ -n "$exercises" ] || { echo "grade: no exercises found (no BEGIN SOLUTION markers)"; exit 1; }
if [ -n "$only" ]; then
  exercises=$(printf '%s\n' "$exercises" | awk -v id="$only" '$1 == id')
  [ -n "$exercises" ] || { echo "grade: no exercise named '$only'"; exit 1; }
fi
json_escape() { sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | tr -d '\n\r\t'; }

printf '%-34s %6s  %-6s  %s\n' "exercise" "points" "result" "first failing check"
printf '%-34s %6s  %-6s  %s\n' "--------" "------" "------" "-------------------"
total=0; earned=0; failed=0; rows=""
while read -r id pts; do
  points=${pts#points=}; [ -n "$pts" ] || points=1
  total=$((total + points))
  # stdin from /dev/null: the tests (and programs they start) must not eat the list this loop reads
  output=$("$bin" -ts="$id" --no-version </dev/null 2>&1); status=$?
  if ! grep -qE 'test cases: *[1-9]' <<< "$output"; then
    result=FAIL; first="no tests in suite '$id'"
  else
    if [ $status -eq 0 ]; then
      result=pass; first=""; earned=$((earned + points))
    else
      result=FAIL
      first=$(printf '%s\n' "$output" | grep -m1 -E 'ERROR:|FATAL ERROR' | sed -E 's/^.*(ERROR|FATAL ERROR): *//' | cut -c1-160)
      [ -n "$first" ] || first="test binary exited with status $status"
    fi
  fi
  [ "$result" = pass ] || failed=$((failed + 1))
  printf '%-34s %6s  %-6s  %s\n' "$id" "$points" "$result" "$first"
  rows="$rows${rows:+,}
    {\"exercise\": \"$id\", \"points\": $points, \"passed\": $([ "$result" = pass ] && echo true || echo false), \"first_failure\": \"$(printf '%s' "$first" | json_escape)\"}"
done <<< "$exercises"

printf '\nscore: %d / %d points (%d exercise(s) failing)\n' "$earned" "$total" "$failed"
printf '{\n  "score": %d,\n  "total": %d,\n  "exercises": [%s\n  ]\n}\n' "$earned" "$total" "$rows" > grade.json
[ $failed -eq 0 ]
