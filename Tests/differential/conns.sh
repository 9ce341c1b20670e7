#!/usr/bin/env bash
# Tests/differential/conns.sh OLD NEW: runs two ipvstune binaries over the same connection
# tables in every `conns` mode and compares their stdout, stderr and exit status byte for byte.
#
# Inputs: every file of Tests/Fuzz/Corpus/conns, the samples of the unit tests, and tables
# made by gentable.py (every row shape the kernel prints, the sync table's, and "wild" ones:
# tabs, CRLF, odd names, control bytes, truncated and invalid lines, random bytes), plus a
# line longer than the read buffer and a 200,000-row table for `| head -1`.
# Modes: the listing, --json, --count, --summary, --sort (each with and without --json), every
# filter kind and some combinations, --file - from standard input, and usage errors.
#
# Prints each difference and `N passed, N failed`; exits 1 on any difference. `conns --help`
# is expected to differ (its text was corrected) and is reported, not counted.
# Environment: WORK (scratch folder, default a new temporary one), SEEDS (tables per kind,
# default 3), ROWS (rows per generated table, default 2000), KEEP=1 keeps WORK.
set -uo pipefail

if [ $# -ne 2 ] || [ ! -x "$1" ] || [ ! -x "$2" ]; then
    sed -n '2,3p' "$0" | sed 's/^# //' >&2
    exit 64
fi
old=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
new=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${WORK:-$(mktemp -d /tmp/conns-differential.XXXXXX)}
seeds=${SEEDS:-3}
rows=${ROWS:-2000}
mkdir -p "$work/tables"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

# --- the tables ---------------------------------------------------------------------------
cp "$root"/Tests/Fuzz/Corpus/conns/* "$work/tables/"
# The sample rows of the unit tests (Tests/IPVSTuneTests/ConnTestRows.swift), one table.
sed -n 's/^ *static let [a-zA-Z0-9]* = "\(Pro\|TCP\|UDP\|SCTP\|IP \).*/&/p' "$root"/Tests/IPVSTuneTests/Conn*.swift 2>/dev/null \
    | sed 's/^ *static let [a-zA-Z0-9]* = "//; s/"$//; s/" *+ *$//' > "$work/tables/unit-samples"
for kind in kernel sync wild; do
    for seed in $(seq 1 "$seeds"); do
        python3 "$here/gentable.py" "$kind" "$seed" "$rows" > "$work/tables/gen-$kind-$seed"
    done
done
python3 "$here/gentable.py" wild 99 30 > "$work/tables/gen-wild-small"
# A line longer than the 256 KiB read buffer, between good rows.
{
    python3 "$here/gentable.py" kernel 7 5
    head -c 300000 /dev/zero | tr '\0' 'A'
    echo
    python3 "$here/gentable.py" kernel 8 5 | tail -n +2
} > "$work/tables/overlong-line"
# More than ten malformed lines: the rest are counted, not shown.
{
    python3 "$here/gentable.py" kernel 9 20
    for i in $(seq 1 25); do echo "bad line $i"; done
} > "$work/tables/many-malformed"
python3 "$here/gentable.py" kernel 10 200000 > "$work/big"

# --- the modes ----------------------------------------------------------------------------
modes=(
    ""
    "--json"
    "--count"
    "--count --json"
    "--summary"
    "--summary --json"
    "--sort expire"
    "--sort expire --json"
    "--sort client"
    "--sort client --json"
    "--sort state"
    "--sort state --json"
    "--state established"
    "--state none,assured --json"
    "--state UDP --state syn_recv --count"
    "--proto udp"
    "--proto ip,tcp --json"
    "--proto sctp --proto icmpv6 --summary"
    "--proto ah,esp,ip_17"
    "--client 10.0.0.0/8"
    "--client 192.168.0.100 --json"
    "--client 2001:db8::/32"
    "--client ::/0 --client 0.0.0.0/0 --count"
    "--virtual 192.168.1.10:80"
    "--virtual 192.168.1.10 --json"
    "--virtual fwmark:100"
    "--virtual fwmark:0x7 --json"
    "--virtual [2001:db8::a]:443"
    "--virtual 2001:db8::64"
    "--dest 10.1.0.5"
    "--dest 10.1.0.5:5060 --json"
    "--dest [2001:db8:1::5]:443"
    "--dest ::ffff:10.1.0.5"
    "--templates"
    "--templates --json"
    "--no-templates --summary"
    "--expiring-within 15m"
    "--expiring-within 1m --count --json"
    "--expiring-within 31d --sort expire"
    "--state established --proto tcp --client 10.0.0.0/8 --no-templates --sort client"
    "--templates --virtual fwmark:100 --virtual 192.168.1.10:80 --summary --json"
    "--state none --dest 10.1.0.5 --expiring-within 2h --json --sort state"
)
usage_errors=(
    "--state ESTABLISHD"
    "--proto tpc"
    "--client 10.0.0.0/33"
    "--virtual [::1"
    "--virtual 1.2.3.4:99999"
    "--dest host:80"
    "--count --summary"
    "--sort expire --count"
    "--sort nowhere"
    "--expiring-within soon"
    "--file /nonexistent/ipvstune-differential"
    "--help"
)

passed=0
failed=0
expected_differences=0

# run NAME COMMAND...: the command with $BIN in place of the binary, once per binary.
compare() {
    local name=$1 command=$2 which status
    for which in old new; do
        BIN=${!which} bash -c "$command" >"$work/$which.out" 2>"$work/$which.err"
        status=$?
        echo "$status" >"$work/$which.status"
        # stderr names the binary only in usage help; the path is the same for both.
        sed -i "s|${!which}|ipvstune|g" "$work/$which.err"
    done
    if cmp -s "$work/old.out" "$work/new.out" && cmp -s "$work/old.err" "$work/new.err" \
        && cmp -s "$work/old.status" "$work/new.status"; then
        passed=$((passed + 1))
        return
    fi
    if [[ $name == *"--help"* ]]; then
        expected_differences=$((expected_differences + 1))
        echo "expected difference: $name"
        diff <(cat "$work/old.out" "$work/old.err") <(cat "$work/new.out" "$work/new.err") | head -8 | sed 's/^/    /'
        return
    fi
    failed=$((failed + 1))
    echo "DIFFERENT: $name (status $(cat "$work/old.status") vs $(cat "$work/new.status"))"
    diff <(cat "$work/old.out") <(cat "$work/new.out") | head -6 | sed 's/^/    stdout /'
    diff <(cat "$work/old.err") <(cat "$work/new.err") | head -6 | sed 's/^/    stderr /'
}

for table in "$work"/tables/*; do
    base=$(basename "$table")
    for mode in "${modes[@]}"; do
        compare "$base: conns $mode" "\"\$BIN\" conns --file '$table' $mode"
    done
    # Standard input, and a pipe that takes only the first line.
    compare "$base: conns --file - < table" "\"\$BIN\" conns --file - --json < '$table'"
    compare "$base: cat table | conns --file - --summary" "cat '$table' | \"\$BIN\" conns --file - --summary"
done
for args in "${usage_errors[@]}"; do
    compare "conns $args" "\"\$BIN\" conns --file '$work/tables/gen-kernel-1' $args"
done
# Output closed early: only what head printed is certain, and the exit status of conns.
for mode in "" "--json" "--sort expire" "--state established"; do
    compare "big: conns $mode | head -1" "\"\$BIN\" conns --file '$work/big' $mode | head -1; echo \"conns exit \${PIPESTATUS[0]}\""
done
for mode in "" "--json" "--count" "--summary" "--summary --json" "--sort client --json" "--proto udp --sort state"; do
    compare "big: conns $mode" "\"\$BIN\" conns --file '$work/big' $mode"
done

echo "$passed passed, $failed failed ($expected_differences expected differences: conns --help)"
[ "$failed" -eq 0 ]
