# splice_bodies.awk: the instructor's file with the student's exercise bodies in it.
#   awk -v submitted=STUDENT_FILE [-v stub="id id ..."] [-v own=1] -f splice_bodies.awk INSTRUCTOR_FILE
# Everything outside the bodies, the markers included, is the instructor's. The k-th body of exercise <id> is
# the text between the k-th "// BEGIN SOLUTION <id>" and the next "// END SOLUTION" of STUDENT_FILE (its
# points= and anything else on the marker line do not count). A body the submission lacks (file missing,
# markers deleted or broken) and every exercise listed in stub become not_implemented("<id>"), so only that
# exercise fails; with own=1 a body the submission lacks keeps INSTRUCTOR_FILE's own (the self-test puts wrong
# bodies into the solution that way). Prints the ids it stubbed, one per line, to the file named by -v stubbed (when given).
function marker_id(line,    id) {
    id = line; sub(/.*BEGIN SOLUTION[ \t]+/, "", id); sub(/[ \t].*/, "", id); return id
}
BEGIN {
    split(stub, forced, " "); for (i in forced) force[forced[i]] = 1
    open = ""
    while (submitted != "" && (getline line < submitted) > 0) {
        if (line ~ /\/\/ BEGIN SOLUTION/) {  # a BEGIN inside an open body drops that body: its markers are broken
            open = marker_id(line); k = ++seen_s[open]; body[open, k] = ""; lines[open, k] = 0; have[open, k] = 0
            continue
        }
        if (line ~ /\/\/ END SOLUTION/) { if (open != "") have[open, k] = 1; open = ""; continue }
        if (open != "") { body[open, k] = body[open, k] line "\n"; ++lines[open, k] }
    }
}
/\/\/ BEGIN SOLUTION/ {
    id = marker_id($0); n = ++seen_i[id]; inside = 1
    print
    if (have[id, n] && !(id in force)) { printf "%s", body[id, n]; skip = 1 }
    else if (own) skip = 0
    else {
        indent = $0; sub(/\/\/.*/, "", indent)
        printf "%sconvlab::not_implemented(\"%s\");\n", indent, id
        if (stubbed != "" && !(id in told)) { print id > stubbed; told[id] = 1 }
        skip = 1
    }
    next
}
/\/\/ END SOLUTION/ { inside = 0; print; next }
!inside || !skip { print }
