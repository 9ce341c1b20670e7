#!/usr/bin/env bash
# The golden test: every output of this build (help, errors, show-config, conns in every mode)
# against the outputs frozen in Tests/differential/golden/, made from the binary of 0f40aaa.
#
#   Tests/differential/run.sh           check .build/ipvstune (or $IPVSTUNE_BIN); exit 1 on any
#                                       difference, each shown with its case's name
#   Tests/differential/run.sh update    rewrite the golden files from the binary
#
# KEEP=1 keeps the scratch folder: the generated tables in tables/, this build's transcripts in
# .transcripts/. A case runs there as its `$ ` line says, with the binary on PATH as ipvstune.
#
# After a deliberate change of an output: run `update`, read `git diff Tests/differential/golden`
# (a hashed output shows only its new sha256: say in the commit why it changed), and commit the
# goldens with the change. The case scripts (cli.sh, conns.sh) say what runs; lib.sh, the format.
set -uo pipefail
export LC_ALL=C
unset COLUMNS LINES

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
goldens=$here/golden
action=${1:-check}
bin=${IPVSTUNE_BIN:-$top/.build/ipvstune}
case $action in
    check | update) ;;
    *) sed -n '5,7p' "$0" | sed 's/^# //' >&2; exit 64 ;;
esac
[ -x "$bin" ] || { echo "differential: no $bin: run 'make build' first" >&2; exit 1; }
bin=$(realpath "$bin")
scratch=$(mktemp -d /tmp/ipvstune-golden.XXXXXX)
if [ -n "${KEEP:-}" ]; then echo "differential: keeping $scratch"; else trap 'rm -rf "$scratch"' EXIT; fi
out=$scratch/.transcripts
mkdir -p "$out"
cd "$scratch" || exit 1

. "$here/lib.sh"
. "$here/cli.sh"
. "$here/conns.sh"
flush

cases() { grep -a -c '^### ' "$1"; }

if [ "$action" = update ]; then
    mkdir -p "$goldens"
    for transcript in "$out"/*.txt; do
        repeated=$(grep -a '^### ' "$transcript" | sort | uniq -d)
        [ -z "$repeated" ] || { echo "differential: cases named twice: $repeated" >&2; exit 1; }
        cp "$transcript" "$goldens/"
        echo "wrote golden/$(basename "$transcript"): $(cases "$transcript") cases"
    done
    exit 0
fi

# split TRANSCRIPT FOLDER: one file per case in FOLDER, and FOLDER/index: "FILE NAME" lines.
split() {
    mkdir -p "$2"
    csplit -s -z -f "$2/case" -n 5 "$1" '/^### /' '{*}'
    for piece in "$2"/case*; do printf '%s %s\n' "$(basename "$piece")" "$(head -1 "$piece")"; done >"$2/index"
}

# explain GOLDEN NEW: each case that differs, with a diff of its record.
explain() {
    local -A golden_case new_case
    local file name shown=0 hashed=0
    split "$1" "$scratch/golden"
    split "$2" "$scratch/new"
    while read -r file name; do golden_case[$name]=$file; done <"$scratch/golden/index"
    while read -r file name; do new_case[$name]=$file; done <"$scratch/new/index"
    while read -r file name; do
        if [ -z "${new_case[$name]:-}" ]; then
            echo "MISSING: ${name#'### '} (in the golden file, not run by this build's scripts)"
        elif ! cmp -s "$scratch/golden/$file" "$scratch/new/${new_case[$name]}"; then
            echo "DIFFERENT: ${name#'### '}"
            grep -a -q '^[a-z]*: .*sha256' "$scratch/golden/$file" && hashed=1
            if [ "$shown" -lt 20 ]; then
                diff -a -u --label golden --label "this build" "$scratch/golden/$file" "$scratch/new/${new_case[$name]}" \
                    | tail -n +3 | head -24 | sed 's/^/    /'
            fi
            shown=$((shown + 1))
        fi
    done <"$scratch/golden/index"
    while read -r file name; do
        [ -n "${golden_case[$name]:-}" ] || echo "NEW: ${name#'### '} (no golden: run '$0 update')"
    done <"$scratch/new/index"
    [ "$shown" -le 20 ] || echo "(diffs shown for the first 20 differing cases)"
    if [ "$hashed" = 1 ]; then
        echo "(an output kept as sha256 shows no bytes: rerun with KEEP=1 and run the case's \$ line in the"
        echo " kept folder with this build and with a build of the commit that made the golden file)"
    fi
    rm -rf "$scratch/golden" "$scratch/new"
}

status=0
for golden in "$goldens"/*.txt; do
    group=$(basename "$golden" .txt)
    transcript=$out/$group.txt
    if [ ! -e "$transcript" ]; then
        echo "differential: $group: skipped (its cases need a machine without IPVS)"
    elif cmp -s "$golden" "$transcript"; then
        echo "differential: $group: $(cases "$golden") cases, identical to the golden file"
    else
        echo "differential: $group: differs from golden/$group.txt"
        explain "$golden" "$transcript"
        status=1
    fi
done
for transcript in "$out"/*.txt; do
    [ -e "$goldens/$(basename "$transcript")" ] && continue
    echo "differential: $(basename "$transcript" .txt): no golden file: run '$0 update'"
    status=1
done
[ "$status" -eq 0 ] || echo "differential: FAILED (to accept a deliberate change: $0 update, then review the diff)"
exit $status
