# What the case scripts share. A case runs a command line with the binary under test on PATH as
# `ipvstune` (so usage text names it the same wherever it was built), in the scratch folder (so
# paths in messages are the same relative ones), and appends a record to the group's transcript:
#
#   ### NAME
#   $ COMMAND
#   exit STATUS
#   stdout:            then each line of output as "| LINE" ("|" if empty), and
#                      "\ no newline at end" after a last line without one;
#   stdout: empty      or, past the group's limit of bytes in full:
#   stdout: N bytes, N lines, sha256 HEX
#   (stderr the same)
#
# The caller (run.sh) sets bin (the binary), scratch (the working folder) and out (where the
# transcripts go); a script starts each group with `group NAME [LIMIT]`.

# group NAME [LIMIT]: the next cases go to $out/NAME.txt; outputs longer than LIMIT bytes are
# kept as their size and sha256 (no LIMIT: always in full).
group() {
    transcript=$out/$1.txt
    full_limit=${2:-}
    : >"$transcript"
    mkdir -p "$scratch/.bin"
    ln -sf "$bin" "$scratch/.bin/ipvstune"
}

# record NAME COMMAND: COMMAND is a bash command line; standard input is /dev/null unless it
# redirects it.
record() {
    local name=$1 command=$2 status
    (cd "$scratch" && PATH="$scratch/.bin:$PATH" exec timeout 120 bash -c "$command") \
        </dev/null >"$scratch/.stdout" 2>"$scratch/.stderr"
    status=$?
    {
        printf '### %s\n$ %s\nexit %s\n' "$name" "$command" "$status"
        output stdout "$scratch/.stdout"
        output stderr "$scratch/.stderr"
    } >>"$transcript"
}

# record_file NAME FILE: a file the cases read (a generated table), as its size and sha256, so a
# generator that no longer gives the same bytes is named before the cases that read it fail.
record_file() {
    printf '### %s\n' "$1" >>"$transcript"
    full_limit=0 output file "$2" >>"$transcript"
}

# ipvstune ARGS...: a case named after its arguments.
run_case() {
    local quoted
    quoted=$(printf ' %q' "$@")
    record "ipvstune $*" "ipvstune$quoted"
}

output() {
    local label=$1 file=$2 size
    size=$(stat -c %s "$file")
    if [ "$size" -eq 0 ]; then
        echo "$label: empty"
    elif [ -n "$full_limit" ] && [ "$size" -gt "$full_limit" ]; then
        echo "$label: $size bytes, $(wc -l <"$file") lines, sha256 $(sha256sum <"$file" | cut -d' ' -f1)"
    else
        echo "$label:"
        sed 's/^/| /; s/^| $/|/' "$file"
        [ "$(tail -c 1 "$file" | wc -l)" -eq 1 ] || printf '\n\\ no newline at end\n'
    fi
}
