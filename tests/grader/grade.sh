#!/usr/bin/env bash
# grade.sh TEST_BIN [EXERCISE-ID]: runs each exercise's tests and prints a score table.
#
# The exercises are the "// BEGIN SOLUTION <id> [points=N]" markers in src/ and chapters/ of the tree it is run
# in (1 point unless given). An exercise's tests are the doctest suite named exactly <id>, run with the
# reporter "grade" (tests/support/grade_reporter.cpp) and a time limit of $TIME_LIMIT seconds (default 60):
# a runaway loop scores 0 for its exercise alone. Under each failing exercise: its first failing checks, each
# with the expected value, the student's value and the check's hint, and the command that runs its tests alone.
#
# Writes $GRADE_JSON (default grade.json beside the Makefile), one line per exercise:
#   {"exercise": id, "points": earned, "out_of": N, "passed": bool, "run_alone": command,
#    "failures": [{"check": ..., "where": FILE:LINE, "expected": ..., "actual": ..., "hint": ...}]}
# With EXERCISE-ID only that exercise is run, and its line replaces its old one in an existing $GRADE_JSON.
# $NO_COMPILE names a file of "<id> <FILE:LINE> <compiler error>" lines (grade_submission.sh): those exercises score 0.
# Exit status 0 only when every graded exercise passes.
set -uo pipefail
bin=${1:?usage: grade.sh TEST_BIN [EXERCISE-ID]}
only=${2:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
json=${GRADE_JSON:-$top/grade.json}
limit=${TIME_LIMIT:-60}
no_compile=${NO_COMPILE:-/dev/null}

exercises=$(grep -rhoE 'BEGIN SOLUTION [A-Za-z0-9_.]+( points=[0-9]+)?' src chapters 2>/dev/null \
            | sed -E 's/BEGIN SOLUTION //' | awk '!seen[$1]++' | sort -k1,1)
[ -n "$exercises" ] || { echo "grade: no exercises found (no BEGIN SOLUTION markers)"; exit 1; }
if [ -n "$only" ]; then
  exercises=$(printf '%s\n' "$exercises" | awk -v id="$only" '$1 == id')
  [ -n "$exercises" ] || { echo "grade: no exercise named '$only'"; exit 1; }
fi
# the identifiers tests/grader/forbidden.txt forbids in the body of exercise $1 (space-separated)
forbidden_of() { awk -v id="$1" '$1 == id { $1 = ""; sub(/^ +/, ""); print }' tests/grader/forbidden.txt 2>/dev/null; }
# every body of exercise $1 in this tree, comments left out
body_of() {
  grep -rlE "BEGIN SOLUTION $1( |\$)" src chapters | xargs awk -v id="$1" '
    /\/\/ BEGIN SOLUTION/ { x = $0; sub(/.*BEGIN SOLUTION[ \t]+/, "", x); sub(/[ \t].*/, "", x); inside = (x == id); next }
    /\/\/ END SOLUTION/ { inside = 0; next }
    inside { sub(/\/\/.*/, ""); print }'
}
esc() { sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | tr -d '\n\r' | tr '\t' ' '; }

printf '%-34s %6s  %-6s\n' "exercise" "points" "result"
printf '%-34s %6s  %-6s\n' "--------" "------" "------"
lines=""
while read -r id pts; do
  points=${pts#points=}; [ -n "$pts" ] || points=1
  run_alone="make test T='$id'"
  failures=""   # lines of check, where, expected, actual, hint; fields apart by US (\037): read keeps empty fields
  compile_error=$(awk -v id="$id" '$1 == id { $1 = ""; sub(/^ /, ""); print; exit }' "$no_compile")
  if [ -n "$compile_error" ]; then
    failures=$(printf 'the body compiles\037%s\037no compiler error\037%s\037only the lines between the markers are taken: functions written outside them are not' "${compile_error%% *}" "${compile_error#* }")
  else
    at=$(grep -rnE "BEGIN SOLUTION $id( |\$)" src chapters | head -n 1 | cut -d: -f1-2)
    called=""; forbidden=$(forbidden_of "$id")
    [ -z "$forbidden" ] || called=$(body_of "$id" | grep -owE "${forbidden// /|}" | sort -u | paste -sd, -)
    # stdin from /dev/null: the tests (and programs they start) must not eat the list this loop reads
    output=$(timeout -k 5 "$limit" "$bin" -ts="$id" -r=grade --no-version </dev/null 2>/dev/null); status=$?
    cases=$(awk -F'\t' '$1 == "end" { print $2 }' <<< "$output")
    if [ $status -eq 124 ] || [ $status -eq 137 ]; then
      failures=$(printf 'finishes within %ss\037\037within %ss\037still running after %ss, stopped\037an endless loop? check the loop conditions' "$limit" "$limit" "$limit")
    elif [ -z "$cases" ] && [ $status -ne 0 ]; then
      failures=$(printf 'the tests run to the end\037\037no crash\037exit status %s\037a crash: an index out of range, a null pointer?' "$status")
    elif [ "${cases:-0}" = 0 ]; then
      failures=$(printf 'the suite has tests\037\037at least one test case\037no tests in suite %s\037the instructor'"'"'s tree has no tests for this exercise' "$id")
    elif [ -n "$called" ]; then
      failures=$(printf 'the body computes the definition itself\037%s\037no call of %s\037a call of %s\037the engine is what this exercise checks: write the loops/formula yourself' \
                 "$at" "${forbidden// /, }" "$called")
    elif grep -qF "not implemented: exercise $id " <<< "$output" || body_of "$id" | grep -qF "not_implemented(\"$id\")"; then
      failures=$(printf 'the exercise is written\037%s\037your code\037not_implemented("%s")\037your code goes here: %s' "$at" "$id" "$at")
    elif [ $status -ne 0 ]; then
      failures=$(awk -F'\t' '
        function other(text,    x) {  # the other exercise a failure ran into, unwritten: its id, or ""
          if (!match(text, /not implemented: exercise [A-Za-z0-9_.]+/)) return ""
          x = substr(text, RSTART, RLENGTH); sub(/.* /, "", x); return x
        }
        $1 == "check" && other($4) != "" { print $3 "\037" $2 "\037" $5 "\037" $4 "\037" "these tests use exercise " other($4) ": write it first" ; next }
        $1 == "exception" && other($4) != "" { print "test case \"" $3 "\" runs to the end\037" $2 "\037no exception\037" $4 "\037" "these tests use exercise " other($4) ": write it first"; next }
        $1 == "check"     { print $3 "\037" $2 "\037" $5 "\037" $4 "\037" $6 }
        $1 == "exception" { print "test case \"" $3 "\" runs to the end\037" $2 "\037no exception\037" $4 "\037" \
                                  "read the message: which input did your code refuse?" }' <<< "$output")
      [ -n "$failures" ] || failures=$(printf 'the tests pass\037\037exit status 0\037exit status %s\037' "$status")
    fi
  fi
  if [ -z "$failures" ]; then result=pass; earned=$points; else result=FAIL; earned=0; fi
  printf '%-34s %6s  %-6s\n' "$id" "$earned/$points" "$result"
  items=""
  if [ -n "$failures" ]; then
    printf '%s\n' "$failures" | head -n 3 | while IFS=$'\037' read -r check where expected actual hint; do
      printf '    %s%s\n' "${where:+$where: }" "$check"
      printf '      expected: %s\n      got:      %s\n' "$expected" "$actual"
      [ -z "$hint" ] || printf '      hint:     %s\n' "$hint"
    done
    n=$(printf '%s\n' "$failures" | wc -l)
    [ "$n" -le 3 ] || printf '    ... %d more failing checks\n' $((n - 3))
    printf '    run alone: %s\n' "$run_alone"
    items=$(printf '%s\n' "$failures" | head -n 10 | while IFS=$'\037' read -r check where expected actual hint; do
      printf '{"check": "%s", "where": "%s", "expected": "%s", "actual": "%s", "hint": "%s"},' \
        "$(esc <<< "$check")" "$(esc <<< "$where")" "$(esc <<< "$expected")" "$(esc <<< "$actual")" "$(esc <<< "$hint")"
    done)
    items=${items%,}
  fi
  lines="$lines$(printf '    {"exercise": "%s", "points": %d, "out_of": %d, "passed": %s, "run_alone": "%s", "failures": [%s]}' \
    "$id" "$earned" "$points" "$([ "$result" = pass ] && echo true || echo false)" "$(esc <<< "$run_alone")" "$items")
"
done <<< "$exercises"

# EX=id: the other exercises' lines of the existing file stay
if [ -n "$only" ] && [ -f "$json" ]; then
  old=$(grep -E '^    \{"exercise": ' "$json" | grep -vF "{\"exercise\": \"$only\"," | sed 's/,$//' || true)
  lines=$(printf '%s\n%s' "$old" "$lines" | grep . | sort)
  lines="$lines
"
fi
earned=$(grep -oE '"points": [0-9]+' <<< "$lines" | awk '{ s += $2 } END { print s + 0 }')
total=$(grep -oE '"out_of": [0-9]+' <<< "$lines" | awk '{ s += $2 } END { print s + 0 }')
failed=$(grep -c '"passed": false' <<< "$lines")
body=$(printf '%s' "$lines" | sed '$!s/$/,/')
printf '{\n  "score": %d,\n  "total": %d,\n  "exercises": [\n%s\n  ]\n}\n' "$earned" "$total" "$body" > "$json.tmp" \
  && mv -f "$json.tmp" "$json"
printf '\nscore: %d / %d points (%d exercise(s) failing)\n' "$earned" "$total" "$failed"
[ -z "$only" ] || echo "(EX=$only: $json keeps the other exercises' last results; the score counts them all)"
if [ -n "$only" ]; then grep -qF "{\"exercise\": \"$only\", \"points\": 0," <<< "$lines" && exit 1 || exit 0; fi
[ "$failed" -eq 0 ]
