#!/usr/bin/env bash
# selftest.sh: tests of the grader itself (run by CI through `make grade-selftest`; JOBS=n compile jobs).
#   1. on this (solution) copy every exercise passes;
#   2. the student copy holds no line of any solution (find_leaks.sh); it builds without a warning, every
#      exercise fails and says where the code goes, and every test outside the exercises passes (except
#      suites named *.integration, which use several exercises at once);
#   3. a student copy with one exercise filled back in passes exactly that one;
#   4. instructor mode (grade_submission.sh) on the solution with its markers of ch01.verify deleted, points=20
#      on another marker, every test of the submission made to pass, and the wrong bodies of
#      cheats/wrong_answers.txt: exactly the tampered and wrong exercises (and those whose tests use them)
#      fail, within the time limit for the endless loop, and the total stays the instructor's;
#   5. the wrong bodies of cheats/feedback.txt: each failing exercise shows expected, actual and hint, in the
#      table and in grade.json; EX=id merges into grade.json.
# The student copy and the graded submissions reuse this tree's objects: only the files with exercises compile.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
work=$(mktemp -d /tmp/convlab-grader.XXXXXX)  # kept when a check fails, for a look at the copies
fail() { echo "FAIL: $* (kept in $work)"; exit 1; }

say() { printf '\n== grader self-test: %s\n' "$*"; }
exercises=$(grep -rhoE 'BEGIN SOLUTION [A-Za-z0-9_.]+' src chapters | sed 's/BEGIN SOLUTION //' | sort -u)
n=$(printf '%s\n' "$exercises" | wc -l)
passing_in() { awk '$3 == "pass" { print $1 }' "$1" | sort | paste -sd' ' -; }
failing_in() { awk '$3 == "FAIL" { print $1 }' "$1" | sort | paste -sd' ' -; }

say "1. the solution passes all $n exercises"
make -s -j"$jobs" all
tests/grader/grade.sh build/bin/tests > "$work/solution.txt" || { cat "$work/solution.txt"; fail "the solution does not pass"; }
tail -n 1 "$work/solution.txt"

say "2. the student copy gives no answer away, builds without warnings, fails every exercise, and nothing else"
BUILD_FROM=$top tests/grader/make_student.sh "$work/student"
tests/grader/find_leaks.sh . "$work/student" || fail "the student copy gives solutions away"
make -C "$work/student" -j"$jobs" all > "$work/student-build.txt" 2>&1 || { tail -n 30 "$work/student-build.txt"; fail "the student copy does not build"; }
! grep -E 'warning:' "$work/student-build.txt" || fail "the student copy builds with warnings"
( cd "$work/student" && GRADE_JSON="$work/student.json" tests/grader/grade.sh build/bin/tests ) > "$work/student.txt" || true
[ -z "$(passing_in "$work/student.txt")" ] || { cat "$work/student.txt"; fail "exercises pass on the student copy: $(passing_in "$work/student.txt")"; }
[ "$(grep -c 'your code goes here: ' "$work/student.txt")" = "$n" ] || { cat "$work/student.txt"; fail "not every exercise says where its code goes"; }
echo "all $n exercises fail on the student copy, each naming the line where its code goes"
exclude=$(printf '%s\n' "$exercises" | paste -sd, -)
"$work/student/build/bin/tests" -tse="$exclude,*.integration" --no-version > "$work/others.txt" 2>&1 \
  || { grep -E 'TEST SUITE:|TEST CASE:|ERROR' "$work/others.txt" | head -n 60; fail "tests outside the exercises fail on the student copy"; }
tail -n 2 "$work/others.txt" | head -n 1

first=$(printf '%s\n' "$exercises" | head -n 1)
say "3. filling back '$first' passes exactly that exercise"
file=$(grep -rlE "BEGIN SOLUTION $first( |$)" src chapters | head -n 1)
awk -v keep="$first" -f tests/grader/stub_solutions.awk "$file" > "$work/student/$file"
make -s -C "$work/student" -j"$jobs" build/bin/tests
( cd "$work/student" && GRADE_JSON="$work/filled.json" tests/grader/grade.sh build/bin/tests ) > "$work/filled.txt" || true
[ "$(passing_in "$work/filled.txt")" = "$first" ] || { cat "$work/filled.txt"; fail "expected only $first to pass, got: $(passing_in "$work/filled.txt")"; }
echo "only $first passes"

# submission NAME CHEATS: the solution's files with the bodies of CHEATS in place of their own
submission() {
  local dir=$work/submissions/$1
  git ls-files | grep -v '^tests/grader/cheats/' | while IFS= read -r f; do mkdir -p "$dir/$(dirname "$f")"; cp "$f" "$dir/$f"; done
  for f in $(grep -rlE '// BEGIN SOLUTION' src chapters); do
    awk -v submitted="$2" -v own=1 -f tests/grader/splice_bodies.awk "$f" > "$dir/$f"
  done
}
export GRADE_WORK=$work/grading TIME_LIMIT=${TIME_LIMIT:-20}

say "4. instructor mode: tampering moves nothing, each wrong body fails its exercise, an endless loop is stopped"
submission tampered tests/grader/cheats/wrong_answers.txt
s=$work/submissions/tampered
sed -i -E '/(BEGIN|END) SOLUTION/{/ch01.verify|END/!b};/BEGIN SOLUTION ch01.verify/,/END SOLUTION/{/SOLUTION/d}' \
  "$s/chapters/01_one_shot_learning/one_shot.cpp"
! grep -q 'BEGIN SOLUTION ch01.verify' "$s/chapters/01_one_shot_learning/one_shot.cpp" || fail "the markers of ch01.verify are still there"
sed -i -E 's/(BEGIN SOLUTION ch07.compute_content_cost)/\1 points=20/' "$s/chapters/07_content_cost/content_cost.cpp"
find "$s/tests" -name '*.cpp' -not -path '*/support/*' -exec sed -i -E 's/\<(CHECK|REQUIRE)(_MESSAGE)?\(/\1\2(true || /' {} +
start=$(date +%s)
tests/grader/grade_submission.sh "$s" > "$work/tampered.txt" 2>&1 || true
seconds=$(( $(date +%s) - start ))
# ch08.compute_style_cost calls the wrong layer cost; ch06.style_transfer_step calls both
expected="ch01.verify ch06.style_transfer_step ch08.compute_layer_style_cost ch08.compute_style_cost ch10.conv_output_size ch11.conv3d_parameters core.pool_naive"
got=$(failing_in "$work/tampered.txt")
[ "$got" = "$expected" ] || { cat "$work/tampered.txt"; fail "expected exactly these to fail: $expected; got: $got"; }
want=$((n - $(wc -w <<< "$expected")))
grep -q "^score: $want / $n points" "$work/tampered.txt" || { tail -n 3 "$work/tampered.txt"; fail "expected score $want / $n"; }
grep -A3 '^ch11.conv3d_parameters' "$work/tampered.txt" | grep -q "still running after ${TIME_LIMIT}s" || fail "the endless loop was not stopped by the time limit"
grep -q '"score": '"$want"', *$' "$s/grade.json" && grep -q '"total": '"$n"',' "$s/grade.json" || fail "$s/grade.json disagrees with the table"
echo "$(tail -n 1 "$work/tampered.txt" | sed 's/ *$//'): failing exactly $expected ($seconds s, time limit ${TIME_LIMIT}s)"

say "5. feedback: expected value, the student's value and the hint, in the table and grade.json; EX merges"
submission feedback tests/grader/cheats/feedback.txt
s=$work/submissions/feedback
tests/grader/grade_submission.sh "$s" > "$work/feedback.txt" 2>&1 || true
for id in ch03.triplet_loss ch07.compute_content_cost ch08.gram_matrix; do
  block=$(awk -v id="$id" '$1 == id { on = 1; print; next } on && /^    / { print; next } { on = 0 }' "$work/feedback.txt")
  grep -q 'expected: .*[0-9]' <<< "$block" && grep -q 'got: .*[0-9]' <<< "$block" && grep -q 'hint: ..' <<< "$block" \
    || { cat "$work/feedback.txt"; fail "$id: the table lacks expected, got or hint"; }
  line=$(grep -F "{\"exercise\": \"$id\"," "$s/grade.json")
  grep -qE '"expected": "[^"]*[0-9]' <<< "$line" && grep -qE '"actual": "[^"]*[0-9]' <<< "$line" && grep -qE '"hint": "[^"]+' <<< "$line" \
    || fail "$id: grade.json lacks expected, actual or hint: $line"
done
grep -A4 '^ch03.triplet_loss' "$work/feedback.txt" | grep -q 'got: *-1.85' || fail "the triplet loss without max should show -1.85"
echo "each of ch03.triplet_loss, ch07.compute_content_cost, ch08.gram_matrix shows expected, got and hint:"
grep -A4 '^ch03.triplet_loss' "$work/feedback.txt"
cp "$s/grade.json" "$work/before.json"
tests/grader/grade_submission.sh "$s" ch10.ecg_net > "$work/one.txt" 2>&1 || fail "EX=ch10.ecg_net should pass"
[ "$(grep -c '"exercise"' "$s/grade.json")" = "$n" ] && diff <(grep -v ch10.ecg_net "$work/before.json") <(grep -v ch10.ecg_net "$s/grade.json") > /dev/null \
  || fail "EX=ch10.ecg_net did not merge into grade.json"
echo "EX=ch10.ecg_net kept the other $((n - 1)) exercises of grade.json"
say "passed"
rm -rf "$work"
