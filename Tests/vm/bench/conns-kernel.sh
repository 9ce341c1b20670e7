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
RUNS=${CONNS_RUNS:-3}
. /guest/bench/lib.sh

fill_table "$N" || { echo "@@FAIL cannot fill the kernel table with $N entries"; exit 1; }
[ "$(ipvstune conns --count)" = "$N" ] || echo "@@FAIL ipvstune conns --count does not see $N entries"

count_ours=$(benchrun "$RUNS" ipvstune conns --count)
count_ref=$(benchrun "$RUNS" cat /proc/net/ip_vs_conn)
summary_ours=$(benchrun "$RUNS" ipvstune conns --summary)
list_ours=$(benchrun 1 ipvstune conns)
list_ref=$(benchrun 1 ipvsadm -Lnc)

echo
echo "conns: a real kernel table of $N entries (backup sync daemon), mean wall time (ms)"
row "operation" "ipvstune" "reference" "ratio"
row "conns --count  vs  cat /proc/net/ip_vs_conn" "$(ms "$count_ours")" "$(ms "$count_ref")" "$(ratio "$count_ours" "$count_ref")"
row "conns --summary  vs  cat" "$(ms "$summary_ours")" "$(ms "$count_ref")" "$(ratio "$summary_ours" "$count_ref")"
row "conns  vs  ipvsadm -Lnc (1 run)" "$(ms "$list_ours")" "$(ms "$list_ref")" "$(ratio "$list_ours" "$list_ref")"
clear_table --now >/dev/null 2>&1
