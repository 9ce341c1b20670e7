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
# The caller (run.sh) sets here, bin, scratch (the working folder, also the current one) and out
# (where the transcripts go); a script starts each group with `group NAME [LIMIT]`, and run.sh
# ends the last with `flush`. A case's outputs are kept in files, which transcript.py turns into
# records every 25 cases.

# group NAME [LIMIT]: the next cases go to $out/NAME.txt; outputs longer than LIMIT bytes are
# kept as their size and sha256 (no LIMIT: always in full).
group() {
    flush
    transcript=$out/$1.txt
    : >"$transcript"
    full_limit=${2:-none}
    cases=$scratch/.cases/$1
    count=0
    mkdir -p "$cases" "$scratch/.bin"
    ln -sf "$bin" "$scratch/.bin/ipvstune"
}

# flush: appends the records of the cases run since the last flush to the transcript.
flush() {
    [ -n "${cases:-}" ] || return 0
    python3 "$here/transcript.py" "$cases" "$full_limit" >>"$transcript"
}

# record NAME COMMAND: COMMAND is a bash command line, run by this shell (no bash started per
# case); standard input is /dev/null unless it redirects it.
record() {
    local name=$1 command=$2 status
    count=$((count + 1))
    PATH="$scratch/.bin:$PATH" eval "$command" </dev/null >"$cases/$count.out" 2>"$cases/$count.err"
    status=$?
    printf 'run\n%s\n%s\n%s\n' "$name" "$command" "$status" >"$cases/$count.case"
    [ $((count % 25)) -ne 0 ] || flush
}

# record_file NAME FILE: a file the cases read (a generated table), as its size and sha256, so a
# generator that no longer gives the same bytes is named before the cases that read it fail.
record_file() {
    count=$((count + 1))
    ln -f "$2" "$cases/$count.out"
    printf 'file\n%s\n' "$1" >"$cases/$count.case"
}

# ipvstune ARGS...: a case named after its arguments.
run_case() {
    local quoted
    printf -v quoted ' %q' "$@"
    record "ipvstune $*" "ipvstune$quoted"
}
