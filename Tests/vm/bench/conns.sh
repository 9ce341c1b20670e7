# conns on a big table, side by side with ipvsadm and awk in this boot:
#  1. a generated 200,000-entry table in /proc/net/ip_vs_conn format, put in place of the
#     kernel's file so ipvsadm reads it too: ipvstune conns against ipvsadm -Lnc, and
#     ipvstune conns --summary against an awk one-liner counting states;
#  2. peak memory (VmHWM) of listing, counting and summarizing a 1,000,000-entry file.
. /guest/fakeproc.sh
N=${CONNS_N:-200000}
RUNS=${CONNS_RUNS:-7}
. /guest/bench/lib.sh

conngen "$N" > /tmp/table
with_table /tmp/table sh -c 'cmp -s /proc/net/ip_vs_conn /tmp/table' || echo "@@FAIL the fake table is not in place"
[ "$(with_table /tmp/table ipvstune conns --count)" = "$N" ] || echo "@@FAIL ipvstune does not read the fake table"
[ "$(with_table /tmp/table ipvsadm -Lnc | wc -l)" = "$((N + 2))" ] || echo "@@FAIL ipvsadm does not read the fake table"

# One run of each in turn, RUNS times: a slow stretch falls on both tools alike.
list_ours= list_ref= sum_ours= sum_ref= count_ours=
run=0
while [ $run -lt "$RUNS" ]; do
    list_ours="$list_ours $(with_table /tmp/table benchrun 1 ipvstune conns)"
    list_ref="$list_ref $(with_table /tmp/table benchrun 1 ipvsadm -Lnc)"
    sum_ours="$sum_ours $(with_table /tmp/table benchrun 1 ipvstune conns --summary)"
    sum_ref="$sum_ref $(with_table /tmp/table benchrun 1 awk 'NR > 1 { n[$8]++ } END { for (s in n) print s, n[s] }' /proc/net/ip_vs_conn)"
    count_ours="$count_ours $(with_table /tmp/table benchrun 1 ipvstune conns --count)"
    run=$((run + 1))
done

echo
echo "conns: a $N-entry table in place of /proc/net/ip_vs_conn, $RUNS runs of each alternated:"
echo "median times (ms), and the median of the pairwise ratios"
row "operation" "ipvstune" "reference" "ratio"
row "conns  vs  ipvsadm -Lnc" "$(ms "$(median $list_ours)")" "$(ms "$(median $list_ref)")" "$(median_ratio "$list_ours" "$list_ref")"
row "conns --summary  vs  awk counting states" "$(ms "$(median $sum_ours)")" "$(ms "$(median $sum_ref)")" "$(median_ratio "$sum_ours" "$sum_ref")"
row "conns --summary  vs  conns --count" "$(ms "$(median $sum_ours)")" "$(ms "$(median $count_ours)")" "$(median_ratio "$sum_ours" "$count_ours")"

rm -f /tmp/table
conngen 1000000 > /tmp/table-1m
echo
echo "conns: peak memory on a 1,000,000-entry file (VmHWM, MiB)"
for mode in "" "--count" "--summary" "--json" "--state ESTABLISHED --proto tcp"; do
    peak=$(peakrss ipvstune conns --file /tmp/table-1m $mode)
    printf '%-44s %10s\n' "conns --file $mode" "$peak"
done
rm -f /tmp/table-1m
