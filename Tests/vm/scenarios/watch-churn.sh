# watch on a real table of 50,000 entries with churn, filled by the backup sync daemon, and
# real connections through an LVS-NAT director in the same namespace: 300 entries synced once
# with a 10 s timeout expire idle, 300 others are synced again every 3 s and never expire, 3
# real sessions idle past the 10 s tcp timeout and 2 keep talking. Exactly the expiring
# ESTABLISHED and UDP entries and the 3 idle sessions are reported (the other states and the
# templates among the synced ones are not idle expiries), nothing else; and the memory does
# not follow the table. Prints the read's cost against cat and the peak RSS.
if [ -z "${WATCH_CHURN_NETNS:-}" ]; then
    export WATCH_CHURN_NETNS=1
    exec unshare -n sh "$0"
fi
. /guest/lib.sh
. /guest/synctable.sh
. /guest/topology.sh
trap 'kill ${watch:-} ${refresher:-} 2>/dev/null; stop_background; clear_table >/dev/null 2>&1' EXIT
ip link set lo up
lvs_nat_topology
in_netns rs sessions echo 8080 & bg_pids="${bg_pids:-} $!"
ipvsadm -A -t 10.1.0.100:80 -s rr
ipvsadm -a -t 10.1.0.100:80 -r 10.2.0.2:8080 -m
ipvstune set --tcp 10 --udp 10 >/dev/null || fail "set"
SYNC_TIMEOUT=600 fill_table 50000 || fail "fill_table"

start=$(date +%s)
ipvstune watch --json --verbose > /tmp/watch.out 2> /tmp/watch.err &
watch=$!
( while :; do SYNC_TIMEOUT=10 sync_send 60000 300 >/dev/null; sleep 3; done ) & refresher=$!
sleep 2
SYNC_TIMEOUT=10 sync_send 70000 300 >/dev/null || fail "sync_send"
cd /tmp
in_netns client sessions tcp 10.1.0.100 80 3 idle 24 > idle.ports & bg_pids="$bg_pids $!"
in_netns client sessions tcp 10.1.0.100 80 2 talk 22 > talk.ports & bg_pids="$bg_pids $!"
sleep 26
kill $refresher; refresher=
rss=$(awk '/^VmHWM/ { print $2 }' /proc/$watch/status)
cpu=$(awk '{ print $14 + $15 }' /proc/$watch/stat)
kill -INT $watch
wait $watch; status=$?
expect_eq "$status" 0 "watch exits 0"
elapsed=$(($(date +%s) - start))
cat /tmp/watch.err

# What expired idle: the ESTABLISHED TCP and UDP entries of the range synced once, by client.
expected=$(syncfeed -n -o 70000 300 | awk '
    function hex(s,   i, v) { v = 0; for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789ABCDEF", substr(s, i, 1)) - 1; return v }
    ($1 == "TCP" && $NF == "ESTABLISHED") || ($1 == "UDP" && $NF == "UDP") {
        a = $2; printf "%s %d.%d.%d.%d:%d\n", $1, hex(substr(a, 1, 2)), hex(substr(a, 3, 2)), hex(substr(a, 5, 2)), hex(substr(a, 7, 2)), hex($3) }' | sort)
expected=$( (printf '%s\n' "$expected"; sed 's/^/TCP 10.1.0.2:/' idle.ports) | sort)
reported=$(grep '"event":"idle-expiry"' /tmp/watch.out | sed 's/.*"proto":"\([A-Z]*\)".*"client":"\([^"]*\)".*/\1 \2/' | sort)
[ "$(printf '%s\n' "$expected" | wc -l)" -ge 200 ] || fail "the expiring range holds too few idle entries: $expected"
[ "$(wc -l < idle.ports)" = 3 ] && [ "$(wc -l < talk.ports)" = 2 ] || fail "the real sessions did not all start"
# Exactly those, when watch could read the table often enough. When it could not (a loaded
# emulator can take 10 s a read), it must have said so, and still report nothing false.
printf '%s\n' "$expected" > /tmp/expected
false=$(printf '%s\n' "$reported" | grep -vxF -f /tmp/expected)
[ -z "$false" ] || fail "false idle expiries: $false"
if grep -q "warning: a read of the connection table takes" /tmp/watch.err; then
    echo "watch warned that it could not read often enough: $(printf '%s\n' "$reported" | grep -c .) of $(wc -l < /tmp/expected) reported, none false"
else
    expect_eq "$reported" "$expected" "idle expiries: exactly the expiring range's ESTABLISHED and UDP entries and the idle sessions"
fi
expect_eq "$(grep -c '"event":"template-grace"\|"event":"netns-gone"' /tmp/watch.out)" 0 "no other event"

# Memory stays with the entries near expiry: a table of 50,000 costs the watch no more than
# a small one would.
echo "watch: peak RSS ${rss} KiB, CPU $((cpu / 100)).$((cpu % 100)) s over ${elapsed} s"
[ "$rss" -lt 16384 ] || fail "peak RSS ${rss} KiB with 50,000 entries"
cat_ms=$(($(benchrun 3 cat /proc/net/ip_vs_conn) / 1000))
watch_ms=$(sed -n 's/.*slowest read took \([0-9]*\) ms.*/\1/p' /tmp/watch.err | sort -n | head -1)
echo "one read of the table: cat ${cat_ms} ms, watch's fastest ${watch_ms} ms"
