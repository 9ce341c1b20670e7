# get and set: ipvstune against ipvsadm, whole processes, side by side in this boot.
N=${N:-200}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
row() { printf '%-34s %10s %10s %8s\n' "$@"; }

ipvsadm --set 900 120 300
# Warm up the page cache and the module, so neither tool pays for the first load.
benchrun 5 ipvstune get >/dev/null; benchrun 5 ipvsadm -L --timeout >/dev/null

get_ours=$(benchrun $N ipvstune get) || echo "@@FAIL ipvstune get failed"
get_ref=$(benchrun $N ipvsadm -L --timeout) || echo "@@FAIL ipvsadm -L --timeout failed"
set_ours=$(benchrun $N ipvstune set %ALT% 120 300) || echo "@@FAIL ipvstune set failed"
set_ref=$(benchrun $N ipvsadm --set %ALT% 120 300) || echo "@@FAIL ipvsadm --set failed"

echo
echo "timeouts: $N runs each, mean wall time per process (us)"
row "operation" "ipvstune" "ipvsadm" "ratio"
row "get  (ipvsadm -L --timeout)" "$get_ours" "$get_ref" "$(ratio "$get_ours" "$get_ref")"
row "set  (ipvsadm --set)" "$set_ours" "$set_ref" "$(ratio "$set_ours" "$set_ref")"
