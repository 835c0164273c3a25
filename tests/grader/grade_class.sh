#!/usr/bin/env bash
# grade_class.sh SUBMISSIONS: grades every subfolder of SUBMISSIONS (one student's copy each, named after the
# student) with grade_submission.sh, one after the other in the same work tree, and writes
# SUBMISSIONS/scores.csv: student,score,total, then one column of points per exercise. Each subfolder also
# gets its own grade.json with the feedback.
set -uo pipefail
dir=$(cd "${1:?usage: grade_class.sh SUBMISSIONS}" 2>/dev/null && pwd) || { echo "grade-class: '$1' not found" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
csv=$dir/scores.csv
ids=""
rows=""
for sub in "$dir"/*/; do
  sub=${sub%/}; name=$(basename "$sub")
  echo "== $name"
  "$here/grade_submission.sh" "$sub" > "$sub/grade.txt" 2>&1
  tail -n 1 "$sub/grade.txt"
  if [ ! -f "$sub/grade.json" ] || ! grep -q '"score"' "$sub/grade.json"; then
    rows="$rows$name,error,,see $name/grade.txt
"; continue
  fi
  [ -n "$ids" ] || ids=$(grep -oE '"exercise": "[^"]+"' "$sub/grade.json" | cut -d'"' -f4 | paste -sd, -)
  score=$(grep -m1 -oE '"score": [0-9]+' "$sub/grade.json" | grep -oE '[0-9]+')
  total=$(grep -m1 -oE '"total": [0-9]+' "$sub/grade.json" | grep -oE '[0-9]+')
  points=$(grep -oE '"points": [0-9]+' "$sub/grade.json" | grep -oE '[0-9]+' | paste -sd, -)
  rows="$rows$name,$score,$total,$points
"
done
{ echo "student,score,total,$ids"; printf '%s' "$rows"; } > "$csv.tmp" && mv -f "$csv.tmp" "$csv"
echo "grade-class: wrote $csv ($(printf '%s' "$rows" | grep -c .) students)"
