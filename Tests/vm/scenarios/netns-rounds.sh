# apply --all-netns goes on in rounds while namespaces come: every namespace `ip netns add`
# makes while one apply runs (one of them deleted and made again at the same path) ends at the
# config's values, ipvsadm the reference; the run ends by itself, one entry per namespace in its
# report. A file that never becomes a namespace is given up on after the 3 s wait.
. /guest/lib.sh
printf 'tcp = 2h\nudp = 60\n' > /etc/ipvstune.conf
# iproute2's ip, by path: busybox's ip applet has no netns.
IP=/usr/sbin/ip
want="Timeout (tcp tcpfin udp): 7200 120 60"
$IP netns add r0 || fail "ip netns add r0"
# A file not mounted yet, as `ip netns add` and Docker leave one for a moment, holds the run
# (up to its 3 s wait): the adder mounts a namespace on it last.
touch /run/netns/hold
(
    start=$(date +%s)
    i=1
    while [ $i -le 8 ]; do $IP netns add "r$i" || echo "ip netns add r$i failed"; i=$((i + 1)); done
    # Made again at the same path: the new namespace may get the old one's inode number.
    $IP netns del r0 && $IP netns add r0 || echo "making r0 again failed"
    unshare --net=/run/netns/hold true
    echo "the adder took $(( $(date +%s) - start )) s" > /tmp/adder.time
) > /tmp/adder.out 2>&1 &
adder=$!
run ipvstune apply --all-netns
wait $adder
expect_rc 0 "apply --all-netns while namespaces come"
[ -s /tmp/adder.out ] && fail "the adder: $(cat /tmp/adder.out)"
cat /tmp/adder.time
echo "$out"
for ns in r0 r1 r2 r3 r4 r5 r6 r7 r8 hold; do
    expect_eq "$($IP netns exec "$ns" ipvsadm -L --timeout)" "$want" "$ns by ipvsadm"
done
# Made last, hold was seen by the round that saw all the others (unless its wait ran out).
expect_contains "$out" "/run/netns/hold: tcp 900 -> 7200" "hold, mounted last, was applied"
for ns in r0 r1 r2 r3 r4 r5 r6 r7 r8 hold; do
    expect_eq "$(echo "$out" | grep -c "^/run/netns/$ns: ")" 2 "$ns: one entry (tcp and udp lines)"
done
expect_kernel "7200 120 60" "host"
expect_eq "$(echo "$out" | cut -d: -f1 | sort -u | wc -l)" 11 "one entry each for the host, r0 to r8 and hold"

# A file that never becomes a namespace: waited for, then given up on; nothing changes.
touch /run/netns/never
start=$(date +%s)
run ipvstune apply --all-netns --detailed-exitcode
took=$(( $(date +%s) - start ))
expect_rc 0 "apply --all-netns with a file never mounted"
echo "$out" | grep -q never && fail "a file that is not a namespace was visited: $out"
[ "$took" -ge 3 ] || fail "gave up on the file after $took s, before the 3 s wait"
[ "$took" -le 30 ] || fail "gave up on the file after $took s"
echo "gave up on the file never mounted after $took s"

# --check looks once and changes nothing.
$IP netns exec r3 ipvsadm --set 900 120 300
run ipvstune apply --all-netns --check --detailed-exitcode
expect_rc 2 "apply --all-netns --check"
expect_eq "$(echo "$out" | grep -c "^/run/netns/r3: ")" 2 "r3 would change"
expect_eq "$($IP netns exec r3 ipvsadm -L --timeout)" "Timeout (tcp tcpfin udp): 900 120 300" "--check changed nothing"
rm -f /run/netns/never
for ns in r0 r1 r2 r3 r4 r5 r6 r7 r8; do $IP netns del "$ns"; done
