# stub_solutions.awk: replaces each "// BEGIN SOLUTION <id>" ... "// END SOLUTION" body by a stub.
# The stub is followed by blank lines up to the body's length, so that every line after it keeps its number
# (the tutorials' "your code goes here: FILE:LINE" and the compiler's messages name the same lines in both
# copies). With -v keep=<id>, that one exercise keeps its solution (the grader's self-test "fills it back in").
# The stubs leave parameters and local functions unused until the exercises are written: the file's first namespace
# line gets, on the same line, the pragmas that keep -Wall -Wextra quiet about that.
# An unterminated block or a nested BEGIN is an error (exit 1) naming the file and line.
/\/\/ BEGIN SOLUTION/ {
    if (inside || kept) { printf "%s:%d: BEGIN SOLUTION inside another exercise\n", FILENAME, NR > "/dev/stderr"; exit 1 }
    inside = 1; start = NR
    id = $0; sub(/.*BEGIN SOLUTION[ \t]+/, "", id); sub(/[ \t].*/, "", id)
    indent = $0; sub(/\/\/.*/, "", indent)
    print
    if (id == keep) { inside = 0; kept = 1; next }
    printf "%sconvlab::not_implemented(\"%s\");\n", indent, id
    pad = -1  # the stub takes the place of the body's first line
    next
}
/\/\/ END SOLUTION/ {
    if (!inside && !kept) { printf "%s:%d: END SOLUTION without BEGIN\n", FILENAME, NR > "/dev/stderr"; exit 1 }
    for (; pad > 0; --pad) print ""
    inside = 0; kept = 0; pad = 0
    print
    next
}
inside { ++pad; next }
/^namespace / && !quieted {
    quieted = 1
    printf "%s _Pragma(\"GCC diagnostic ignored \\\"-Wunused-parameter\\\"\") ", $0
    printf "_Pragma(\"GCC diagnostic ignored \\\"-Wunused-variable\\\"\") "
    printf "_Pragma(\"GCC diagnostic ignored \\\"-Wunused-function\\\"\")  // unused until the exercises are written\n"
    next
}
{ print }
END {
    if (inside || kept) { printf "%s:%d: BEGIN SOLUTION never ended\n", FILENAME, start > "/dev/stderr"; exit 1 }
}
