# watch --all-netns follows every namespace: an idle expiry in a namespace is reported with
# its path, a namespace that disappears while watched is an event and the watch goes on with
# the others; --netns watches one.
. /guest/lib.sh
. /guest/topology.sh
trap 'kill ${watch:-} 2>/dev/null; stop_background' EXIT
lvs_nat_topology
in_netns rs sessions echo 8080 & bg_pids="${bg_pids:-} $!"
ipvsadm -A -t 10.1.0.100:80 -s rr
ipvsadm -a -t 10.1.0.100:80 -r 10.2.0.2:8080 -m
ipvstune set --tcp 4 >/dev/null || fail "set"
new_netns doomed
ipvstune watch --all-netns --json > /tmp/watch.out 2> /tmp/watch.err &
watch=$!
sleep 2
umount /run/netns/doomed; rm /run/netns/doomed
in_netns client sessions tcp 10.1.0.100 80 1 idle 9 > /tmp/idle.ports & bg_pids="$bg_pids $!"
sleep 8
kill -INT $watch
wait $watch; status=$?
cat /tmp/watch.out /tmp/watch.err
expect_eq "$status" 0 "watch --all-netns exits 0"
expect_contains "$(grep '"event":"netns-gone"' /tmp/watch.out)" '"netns":"/run/netns/doomed"' "the vanished namespace is an event"
expect_contains "$(grep '"event":"idle-expiry"' /tmp/watch.out)" "\"client\":\"10.1.0.2:$(cat /tmp/idle.ports)\"" "the host's idle expiry after the namespace went"

# One namespace by name: the client's, where nothing is balanced, reads an empty table.
ipvstune watch --netns client > /tmp/one.out 2>&1 & watch=$!
sleep 2; kill -TERM $watch; wait $watch; status=$?
expect_eq "$status" 0 "watch --netns exits 0"
