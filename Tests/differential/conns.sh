# Cases for `conns --file` in every mode, text and JSON, over connection tables. Sourced by
# run.sh, which sets top, here, bin, scratch and out.
#
# Group conns, every output in full: the tables of Tests/Fuzz/Corpus/conns, the sample rows of
# Tests/Data/conn-samples.txt, and three small tables made by gentable.py (30 wild rows; a line
# longer than the read buffer between good rows; more than ten malformed lines).
# Group conns-generated, outputs past 4 KiB as sha256: tables of 2,000 rows made by gentable.py
# (every row shape the kernel prints, the sync table's, and "wild" ones: tabs, CRLF, odd names,
# control bytes, truncated and invalid lines, random bytes), three seeds of each kind, and a
# 200,000-row table for the big outputs and `| head -1`. Each generated table is recorded by its
# sha256 too, so a generator that changed is named before the cases that read it.

gentable() { python3 "$here/gentable.py" "$@"; }

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

# every_mode TABLE: each mode on tables/TABLE, then from standard input and through a pipe.
every_mode() {
    local table=$1 mode
    for mode in "${modes[@]}"; do
        record "$table: conns${mode:+ $mode}" "ipvstune conns --file tables/$table${mode:+ $mode}"
    done
    record "$table: conns --file - --json < table" "ipvstune conns --file - --json < tables/$table"
    record "$table: cat table | conns --file - --summary" "cat tables/$table | ipvstune conns --file - --summary"
}

# generated TABLE COMMAND: makes tables/TABLE with COMMAND and records it.
generated() {
    (cd "$scratch" && eval "$2") >"$scratch/tables/$1"
    record_file "table $1: $2" "$scratch/tables/$1"
}

mkdir -p "$scratch/tables"

# --- small tables, every output in full ---------------------------------------------------
group conns
for file in "$top"/Tests/Fuzz/Corpus/conns/*; do
    cp "$file" "$scratch/tables/"
    every_mode "$(basename "$file")"
done
# The sample rows the unit tests use: the text after each line's name.
sed -n '/^[a-zA-Z0-9]* /s/^[^ ]* //p' "$top/Tests/Data/conn-samples.txt" >"$scratch/tables/unit-samples"
every_mode unit-samples
generated gen-wild-small "gentable wild 99 30"
every_mode gen-wild-small
# A line longer than the 256 KiB read buffer, between good rows.
generated overlong-line "gentable kernel 7 5; head -c 300000 /dev/zero | tr '\\0' A; echo; gentable kernel 8 5 | tail -n +2"
every_mode overlong-line
# More than ten malformed lines: the rest are counted, not shown.
generated many-malformed "gentable kernel 9 20; for i in \$(seq 1 25); do echo \"bad line \$i\"; done"
every_mode many-malformed
for args in "${usage_errors[@]}"; do
    record "conns $args" "ipvstune conns --file tables/gen-wild-small $args"
done

# --- generated tables, big outputs as sha256 ----------------------------------------------
group conns-generated 4096
for kind in kernel sync wild; do
    for seed in 1 2 3; do
        generated "gen-$kind-$seed" "gentable $kind $seed 2000"
        every_mode "gen-$kind-$seed"
    done
done
generated big "gentable kernel 10 200000"
# Output closed early: only what head printed is certain, and the exit status of conns.
for mode in "" "--json" "--sort expire" "--state established"; do
    record "big: conns${mode:+ $mode} | head -1" "ipvstune conns --file tables/big${mode:+ $mode} | head -1; echo \"conns exit \${PIPESTATUS[0]}\""
done
for mode in "" "--json" "--count" "--summary" "--summary --json" "--sort client --json" "--proto udp --sort state"; do
    record "big: conns${mode:+ $mode}" "ipvstune conns --file tables/big${mode:+ $mode}"
done
