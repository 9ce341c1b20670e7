# metrics on a real kernel table of 50,000 entries, filled through the backup sync daemon in
# a network namespace of its own: ipvstune metrics (which reads the table once, and IPVS over
# netlink) against cat (the kernel's own read is the limit) and conns --count; then peak
# memory on a 1,000,000-entry file in place of /proc/net/ip_vs_conn against conns.
if [ -z "${METRICS_BENCH_NETNS:-}" ]; then
    export METRICS_BENCH_NETNS=1
    exec unshare -n sh "$0"
fi
. /guest/synctable.sh
. /guest/fakeproc.sh
N=${METRICS_KERNEL_N:-50000}
RUNS=${METRICS_RUNS:-3}
. /guest/bench/lib.sh

fill_table "$N" || { echo "@@FAIL cannot fill the kernel table with $N entries"; exit 1; }
counted=$(ipvstune metrics | awk '/^ipvstune_(entries|templates)\{/ { n += $2 } END { print n + 0 }')
[ "$counted" = "$N" ] || echo "@@FAIL ipvstune metrics counts $counted entries, not $N"

metrics_ours=$(benchrun "$RUNS" ipvstune metrics)
count_ours=$(benchrun "$RUNS" ipvstune conns --count)
cat_ref=$(benchrun "$RUNS" cat /proc/net/ip_vs_conn)

echo
echo "metrics: a real kernel table of $N entries (backup sync daemon), mean wall time (ms)"
row "operation" "ipvstune" "reference" "ratio"
row "metrics  vs  cat /proc/net/ip_vs_conn" "$(ms "$metrics_ours")" "$(ms "$cat_ref")" "$(ratio "$metrics_ours" "$cat_ref")"
row "metrics  vs  conns --count" "$(ms "$metrics_ours")" "$(ms "$count_ours")" "$(ratio "$metrics_ours" "$count_ours")"
clear_table --now >/dev/null 2>&1

conngen 1000000 > /tmp/table-1m
echo
echo "metrics: peak memory on a 1,000,000-entry file in place of the table (VmHWM, MiB)"
for command in "metrics" "conns --count" "conns --summary" "conns"; do
    printf '%-44s %10s\n' "$command" "$(with_table /tmp/table-1m peakrss ipvstune $command)"
done
head -1 /tmp/table-1m > /tmp/table-0
printf '%-44s %10s\n' "metrics, the same with an empty table" "$(with_table /tmp/table-0 peakrss ipvstune metrics)"
rm -f /tmp/table-1m /tmp/table-0
