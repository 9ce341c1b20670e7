# Reading a connection table that resizes under the reader. 10,000 entries stay in the table
# throughout (600 s timeout) while a loop flips conn_lfactor every 50 ms, and each flip makes
# 7.x resize the table between 256 and 4096 buckets.
#
# The kernel gives no snapshot. A read() returns one page and the next one goes on from the
# bucket where the last stopped; after a resize that bucket index points into the new table,
# so the rest of the read skips or repeats entries, and a read that sees a resize while it
# walks ends there (end of file). cat shows the same. So, on 7.x, what ipvstune must do is:
# exit 0 with nothing on stderr; print only well-formed rows of entries that exist; print
# exactly what the kernel wrote (a read captured with cat, replayed with --file, comes out row
# for row, repeats included); and read the whole table once the resizing stops.
# Before 7.x the table never resizes (conn_lfactor does not exist): every read, by cat or
# ipvstune, lists each entry exactly once. That holds only while no entry comes or goes in
# any namespace: that kernel keeps one table for all of them and a read() resumes at a
# position counted over all their entries, so each one another namespace loses or gains
# between two read()s makes this one skip or repeat a row. Every scenario that makes
# entries does so in a namespace of its own, and they go with it.
if [ -z "${CONNS_RESIZE_NETNS:-}" ]; then
    export CONNS_RESIZE_NETNS=1
    exec unshare -n sh "$0"
fi
. /guest/lib.sh
. /guest/synctable.sh
trap 'kill $flipper 2>/dev/null; clear_table --now >/dev/null 2>&1' EXIT
ip link set lo up
N=10000
READS=6

fill_table $N || fail "fill_table $N"
syncfeed -n $N | as_listing | sort > /tmp/existing
expect_eq "$(grep -c . /tmp/existing)" $N "entries sent"

lfactor=/proc/sys/net/ipv4/vs/conn_lfactor
flipper=
if linux7; then
    [ -w $lfactor ] || fail "no $lfactor on $(uname -r)"
    (while :; do for f in -8 8; do echo $f > $lfactor; sleep 0.05; done; done) &
    flipper=$!
else
    [ ! -e $lfactor ] || fail "$lfactor exists on $(uname -r)"
fi

# tally NAME FILE: rows, distinct rows, and rows of no existing entry, of one read.
tally() {
    rows=$(grep -c . "$2")
    distinct=$(sort -u "$2" | grep -c .)
    foreign=$(sort -u "$2" | awk 'NR == FNR { e[$0] = 1; next } !($0 in e)' /tmp/existing - | grep -c .)
    echo "$1: $rows rows, $distinct distinct, $((rows - distinct)) repeated, $((N - distinct)) missing, $foreign foreign"
    expect_eq "$foreign" 0 "$1: rows of entries that do not exist"
    if ! linux7; then
        expect_eq "$rows" $N "$1: rows of a table that never resizes"
        expect_eq "$distinct" $N "$1: distinct rows of a table that never resizes"
    fi
    [ "$rows" -eq $N ] && [ "$distinct" -eq $N ] || disturbed=$((disturbed + 1))
}

disturbed=0
i=0
while [ $i -lt $READS ]; do
    cat /proc/net/ip_vs_conn > /tmp/raw
    as_listing < /tmp/raw > /tmp/cat-rows
    tally "read $i by cat" /tmp/cat-rows

    run ipvstune conns
    expect_rc 0 "read $i by ipvstune"
    expect_eq "$err" "" "read $i by ipvstune: stderr"
    printf '%s\n' "$out" | awk '$1 != "PRO" && !(($1 == "TCP" || $1 == "UDP" || $1 == "IP") && $3 ~ /^[0-9]+:[0-5][0-9]$/ && (NF == 6 || (NF == 7 && $7 == "template")))' > /tmp/bad
    [ ! -s /tmp/bad ] || fail "read $i by ipvstune: malformed rows: $(head -3 /tmp/bad)"
    printf '%s\n' "$out" | listing_keys > /tmp/ours
    tally "read $i by ipvstune" /tmp/ours

    # The kernel's own text of a read, replayed: ipvstune adds, drops and reorders nothing.
    run ipvstune conns --file /tmp/raw
    expect_rc 0 "replay of read $i"
    expect_eq "$(printf '%s\n' "$out" | listing_keys)" "$(cat /tmp/cat-rows)" "replay of read $i: the kernel's rows, in its order"

    run ipvstune conns --count
    expect_rc 0 "count $i"
    [ "$out" -ge 0 ] 2>/dev/null || fail "count $i: '$out'"
    i=$((i + 1))
done
echo "$disturbed of $((READS * 2)) reads did not list every entry exactly once"
# On 7.x the flips must have reached the reads, or this scenario proved nothing.
if linux7; then [ "$disturbed" -gt 0 ] || fail "no read overlapped a resize"; fi

if [ -n "$flipper" ]; then
    kill $flipper
    wait $flipper 2>/dev/null
    flipper=
    sleep 2  # the last resize is a delayed work
fi
cat /proc/net/ip_vs_conn | as_listing > /tmp/cat-rows
tally "cat, no resizing" /tmp/cat-rows
expect_eq "$(sort /tmp/cat-rows)" "$(cat /tmp/existing)" "cat, no resizing: every entry once"
run ipvstune conns
printf '%s\n' "$out" | listing_keys | sort > /tmp/ours
expect_eq "$(cat /tmp/ours)" "$(cat /tmp/existing)" "ipvstune, no resizing: every entry once"
run ipvstune conns --count
expect_eq "$out" $N "conns --count, no resizing"
