#!/usr/bin/env bash
# find_leaks.sh SOLUTION_TREE STUDENT_TREE: fails (exit 1) when the student copy gives an answer away.
#
#   1. Every distinctive line of a graded body in SOLUTION_TREE (solution_lines.awk) is looked for in every
#      text file of STUDENT_TREE, blanks squeezed. Lines that the library itself holds outside the bodies
#      (a loop header of the fast kernels, "NoGradGuard no_grad;") are not distinctive and are left out.
#   2. Every reference `src/...:LINE` or `chapters/...:LINE` in the copy's Markdown ("your code goes here:
#      chapters/08_style_cost/style_cost.cpp:25") names a line holding a BEGIN SOLUTION marker.
# Prints each finding as FILE:LINE: what.
set -euo pipefail
sol=$(cd "${1:?usage: find_leaks.sh SOLUTION_TREE STUDENT_TREE}" && pwd)
stu=$(cd "${2:?usage: find_leaks.sh SOLUTION_TREE STUDENT_TREE}" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
here=$(cd "$(dirname "$0")" && pwd)

cd "$sol"
graded=$(grep -rlE '// BEGIN SOLUTION' src chapters)
# shellcheck disable=SC2086
awk -f "$here/solution_lines.awk" $graded > "$tmp/lines.tsv"
cut -f2 "$tmp/lines.tsv" | sort -u > "$tmp/all.txt"
# the library's own code outside the bodies, blanks squeezed
find src chapters -name '*.cpp' -o -name '*.hpp' | xargs awk '
    /\/\/ BEGIN SOLUTION/ { skip = 1 } /\/\/ END SOLUTION/ { skip = 0; next }
    !skip { l = $0; gsub(/[ \t]+/, " ", l); print l }' > "$tmp/library.txt"
grep -F -o -f "$tmp/all.txt" "$tmp/library.txt" | sort -u > "$tmp/common.txt" || true
grep -vxF -f "$tmp/common.txt" "$tmp/all.txt" > "$tmp/distinctive.txt" || true
echo "find_leaks: $(wc -l < "$tmp/distinctive.txt") distinctive lines of $(cut -f1 "$tmp/lines.tsv" | sort -u | wc -l) exercises"

cd "$stu"
find . -type f -not -path './build*' -not -path './.git/*' -not -path './out/*' -print0 \
  | xargs -0 grep -Il . | sed 's|^\./||' > "$tmp/files.txt"
xargs awk '{ l = $0; gsub(/[ \t]+/, " ", l); print FILENAME ":" FNR ":" l }' < "$tmp/files.txt" > "$tmp/student.txt"
found=0
if grep -F -f "$tmp/distinctive.txt" "$tmp/student.txt" > "$tmp/hits.txt"; then
  while IFS= read -r hit; do
    where=$(cut -d: -f1-2 <<< "$hit")
    line=$(grep -F -o -f "$tmp/distinctive.txt" <<< "$hit" | head -n 1)
    id=$(awk -F'\t' -v l="$line" '$2 == l { print $1; exit }' "$tmp/lines.tsv")
    echo "$where: holds a line of the solution of $id: $line"
  done < "$tmp/hits.txt"
  found=1
fi
# grep -o gives DOC:LINE:FILE:NUM
while IFS=: read -r doc at file num; do
  if ! sed -n "${num}p" "$file" 2>/dev/null | grep -q 'BEGIN SOLUTION'; then
    echo "$doc:$at: '$file:$num' names no BEGIN SOLUTION line"; found=1
  fi
done < <(grep -E '\.md$' "$tmp/files.txt" | xargs grep -oHnE '`(src|chapters)/[^`: ]+:[0-9]+`' | tr -d '`' || true)
[ $found -eq 0 ] && echo "find_leaks: no solution line in $stu"
exit $found
