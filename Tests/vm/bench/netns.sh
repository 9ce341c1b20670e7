# Applying the timeouts to 100 network namespaces (and the host's): one ipvstune process
# against a shell loop of nsenter + ipvsadm --set, each run starting from the defaults.
N=${NETNS_N:-100}
RUNS=${NETNS_RUNS:-5}
. /guest/bench/lib.sh

mkdir -p /run/netns
i=1
while [ $i -le "$N" ]; do
    touch "/run/netns/bench$i"
    unshare --net="/run/netns/bench$i" true
    i=$((i + 1))
done
printf 'tcp = 7200\ntcpfin = 120\nudp = 300\n' > /etc/ipvstune.conf
printf 'tcp = 900\ntcpfin = 120\nudp = 300\n' > /root/defaults.conf
cat > /tmp/loop.sh <<'LOOP'
ipvsadm --set 7200 120 300
for ns in /run/netns/*; do nsenter --net="$ns" ipvsadm --set 7200 120 300; done
LOOP

ours=0 theirs=0
run=1
while [ $run -le "$RUNS" ]; do
    ipvstune apply --all-netns --quiet --config /root/defaults.conf
    [ "$(ipvstune get --all-netns | awk 'NR > 1 && $2 != 900' | wc -l)" = 0 ] || echo "@@FAIL the reset to the defaults missed a namespace"
    ours=$((ours + $(benchrun 1 ipvstune apply --all-netns --quiet)))
    [ "$(ipvstune get --all-netns | awk 'NR > 1 && $2 != 7200' | wc -l)" = 0 ] || echo "@@FAIL ipvstune apply --all-netns missed a namespace"
    ipvstune apply --all-netns --quiet --config /root/defaults.conf
    theirs=$((theirs + $(benchrun 1 sh /tmp/loop.sh)))
    run=$((run + 1))
done
ours=$((ours / RUNS)) theirs=$((theirs / RUNS))

echo
echo "apply to $N namespaces and the host's, from the defaults, mean of $RUNS runs (ms)"
row "operation" "ipvstune" "reference" "ratio"
row "apply --all-netns  vs  nsenter+ipvsadm loop" "$(ms $ours)" "$(ms $theirs)" "$(ratio $ours $theirs)"
