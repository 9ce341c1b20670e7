# watch's cost, side by side with cat in this boot:
#  1. a real kernel table of 50,000 entries (the backup sync daemon's): the time of one of
#     watch's reads, from its --verbose report, against cat of the same table;
#  2. peak memory (VmHWM) while watching a 1,000,000-entry table (a generated file in place of
#     /proc/net/ip_vs_conn): it follows only the entries near expiry.
. /guest/fakeproc.sh
. /guest/synctable.sh
. /guest/bench/lib.sh
N=${WATCH_N:-50000}


unshare -n sh -c '
    . /guest/synctable.sh; . /guest/bench/lib.sh
    ip link set lo up
    SYNC_TIMEOUT=600 fill_table '"$N"' >/dev/null || echo "@@FAIL bench watch: fill_table"
    ipvstune watch --verbose > /dev/null 2> /tmp/watch.err & pid=$!
    sleep 30
    kill -INT $pid; wait $pid
    ours=$(sed -n "s/.*slowest read took \([0-9]*\) ms.*/\1/p" /tmp/watch.err | sort -n | head -1)
    ref=$(($(benchrun 3 cat /proc/net/ip_vs_conn) / 1000))
    echo
    echo "watch: one read of a real '"$N"'-entry table, the fastest of 30 s of reads (ms)"
    row "operation" "ipvstune" "reference" "ratio"
    row "a watch read  vs  cat /proc/net/ip_vs_conn" "$ours" "$ref" "$(ratio "$ours" "$ref")"
    clear_table >/dev/null 2>&1'

conngen 1000000 > /tmp/table-1m
rss=$(with_table /tmp/table-1m sh -c '
    ipvstune watch --verbose > /dev/null 2> /tmp/watch.err & pid=$!
    sleep 40
    awk "/^VmHWM/ { print \$2 }" /run/realproc/$pid/status  # this /proc was made before watch started
    kill -INT $pid; wait $pid')
echo
echo "watch: peak memory while watching a 1,000,000-entry table (VmHWM)"
printf '%-44s %10s\n' "watch, 40 s" "$((rss / 1024)) MiB"
sed 's/^/    /' /tmp/watch.err | tail -2
rm -f /tmp/table-1m
