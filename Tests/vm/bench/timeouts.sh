# get and set: ipvstune against ipvsadm, whole processes, side by side in this boot.
# The runs go in ROUNDS alternating rounds, so a slow stretch of the emulator (or of the
# host under it) falls on both tools instead of on whichever ran then.
N=${N:-200}
ROUNDS=${ROUNDS:-8}
. /guest/bench/lib.sh

ipvsadm --set 900 120 300
# Warm up the page cache and the module, so neither tool pays for the first load.
benchrun 5 ipvstune get >/dev/null; benchrun 5 ipvsadm -L --timeout >/dev/null

per_round=$((N / ROUNDS))
get_ours= get_ref= set_ours= set_ref=
round=0
while [ $round -lt "$ROUNDS" ]; do
    get_ours="$get_ours$(benchrun $per_round ipvstune get)
" || echo "@@FAIL ipvstune get failed"
    get_ref="$get_ref$(benchrun $per_round ipvsadm -L --timeout)
" || echo "@@FAIL ipvsadm -L --timeout failed"
    set_ours="$set_ours$(benchrun $per_round ipvstune set %ALT% 120 300)
" || echo "@@FAIL ipvstune set failed"
    set_ref="$set_ref$(benchrun $per_round ipvsadm --set %ALT% 120 300)
" || echo "@@FAIL ipvsadm --set failed"
    round=$((round + 1))
done

echo
echo "timeouts: $((per_round * ROUNDS)) runs each in $ROUNDS alternating rounds: median of the rounds' mean"
echo "wall time per process (us), and the median of the rounds' ratios"
row "operation" "ipvstune" "ipvsadm" "ratio"
row "get  (ipvsadm -L --timeout)" "$(median $get_ours)" "$(median $get_ref)" "$(median_ratio "$get_ours" "$get_ref" 2)"
row "set  (ipvsadm --set)" "$(median $set_ours)" "$(median $set_ref)" "$(median_ratio "$set_ours" "$set_ref" 2)"
