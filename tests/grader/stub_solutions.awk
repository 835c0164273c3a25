# stub_solutions.awk: replaces each "// BEGIN SOLUTION <id>" ... "// END SOLUTION" body by a stub.
# With -v keep=<id>, that one exercise keeps its solution (the grader's self-test "fills it back in").
# An unterminated block or a nested BEGIN is an error (exit 1) naming the file and line.
/\/\/ BEGIN SOLUTION/ {
    if (inside || kept) { printf "%s:%d: BEGIN SOLUTION inside another exercise\n", FILENAME, NR > "/dev/stderr"; exit 1 }
    inside = 1; start = NR
    id = $0; sub(/.*BEGIN SOLUTION[ \t]+/, "", id); sub(/[ \t].*/, "", id)
    indent = $0; sub(/\/\/.*/, "", indent)
    print
    if (id == keep) { inside = 0; kept = 1; next }
    printf "%sconvlab::not_implemented(\"%s\");\n", indent, id
    next
}
/\/\/ END SOLUTION/ {
    if (!inside && !kept) { printf "%s:%d: END SOLUTION without BEGIN\n", FILENAME, NR > "/dev/stderr"; exit 1 }
    inside = 0; kept = 0
    print
    next
}
!inside { print }
END {
    if (inside || kept) { printf "%s:%d: BEGIN SOLUTION never ended\n", FILENAME, start > "/dev/stderr"; exit 1 }
}
