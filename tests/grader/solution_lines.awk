# solution_lines.awk: prints the distinctive lines of every graded body, one "<id>\t<line>" per line.
# A line is taken without its // comment and with its blanks squeezed to one space; lines shorter than 20
# characters (closing braces, "return Y;", "G.zero_grad();") say nothing about the answer and are left out.
/\/\/ BEGIN SOLUTION/ { id = $0; sub(/.*BEGIN SOLUTION[ \t]+/, "", id); sub(/[ \t].*/, "", id); inside = 1; next }
/\/\/ END SOLUTION/   { inside = 0; next }
inside {
    line = $0
    sub(/\/\/.*/, "", line)
    gsub(/[ \t]+/, " ", line); sub(/^ /, "", line); sub(/ $/, "", line)
    if (length(line) >= 20) printf "%s\t%s\n", id, line
}
