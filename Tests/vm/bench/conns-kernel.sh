# conns on a real kernel table filled through the backup sync daemon in a network namespace
# of its own: ipvstune conns --count against cat (the kernel's own read is the limit), and
# the listing against ipvsadm -Lnc. 200,000 entries on 7.x, whose read is linear; 50,000
# before 7.x, where a full read is quadratic in the kernel (each read() walks the table again
# from its first bucket).
if [ -z "${CONNS_KERNEL_NETNS:-}" ]; then
    export CONNS_KERNEL_NETNS=1
    exec unshare -n sh "$0"
fi
. /guest/synctable.sh
if [ "$(uname -r | cut -d. -f1)" -ge 7 ]; then N=200000; else N=50000; fi
PAIRS=${CONNS_PAIRS:-5}
. /guest/bench/lib.sh

fill_table "$N" || { echo "@@FAIL cannot fill the kernel table with $N entries"; exit 1; }
[ "$(ipvstune conns --count)" = "$N" ] || echo "@@FAIL ipvstune conns --count does not see $N entries"

# Each tool in turn, PAIRS times: a slow stretch of the emulator spoils one pair, not the figure.
count_ours= count_ref= summary_ours= summary_ref= list_ours= list_ref=
pair=0
while [ $pair -lt "$PAIRS" ]; do
    count_ours="$count_ours $(benchrun 1 ipvstune conns --count)"
    count_ref="$count_ref $(benchrun 1 cat /proc/net/ip_vs_conn)"
    summary_ours="$summary_ours $(benchrun 1 ipvstune conns --summary)"
    summary_ref="$summary_ref $(benchrun 1 cat /proc/net/ip_vs_conn)"
    list_ours="$list_ours $(benchrun 1 ipvstune conns)"
    list_ref="$list_ref $(benchrun 1 ipvsadm -Lnc)"
    pair=$((pair + 1))
done

echo
echo "conns: a real kernel table of $N entries (backup sync daemon), $PAIRS runs of each alternated:"
echo "median times (ms), and the median of the pairwise ratios"
row "operation" "ipvstune" "reference" "ratio"
row "conns --count  vs  cat /proc/net/ip_vs_conn" "$(ms "$(median $count_ours)")" "$(ms "$(median $count_ref)")" "$(median_ratio "$count_ours" "$count_ref")"
row "conns --summary  vs  cat" "$(ms "$(median $summary_ours)")" "$(ms "$(median $summary_ref)")" "$(median_ratio "$summary_ours" "$summary_ref")"
row "conns  vs  ipvsadm -Lnc" "$(ms "$(median $list_ours)")" "$(ms "$(median $list_ref)")" "$(median_ratio "$list_ours" "$list_ref")"
clear_table --now >/dev/null 2>&1
