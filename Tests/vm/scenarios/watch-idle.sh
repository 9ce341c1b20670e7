# ipvstune watch on real traffic through an LVS-NAT director, with tcp and udp at 5 s:
# exactly the TCP connections left idle past the timeout and the idle UDP flows are reported as
# idle-expiry, each with its client port; connections closed with FIN, reset by the client,
# kept alive by traffic or by TCP keepalive probes, and UDP flows that keep talking are not.
. /guest/lib.sh
. /guest/topology.sh
trap 'kill ${watch:-} 2>/dev/null; stop_background' EXIT
lvs_nat_topology
in_netns rs sessions echo 8080 & bg_pids="${bg_pids:-} $!"
ipvsadm -A -t 10.1.0.100:80 -s rr
ipvsadm -a -t 10.1.0.100:80 -r 10.2.0.2:8080 -m
ipvsadm -A -u 10.1.0.100:53 -s rr
ipvsadm -a -u 10.1.0.100:53 -r 10.2.0.2:8080 -m
ipvstune set --tcp 5 --udp 5 >/dev/null || fail "set"
sleep 1

ipvstune watch --json > /tmp/watch.out 2> /tmp/watch.err &
watch=$!
sleep 1
cd /tmp
in_netns client sessions tcp 10.1.0.100 80 3 idle 16 > idle.ports & bg_pids="$bg_pids $!"
in_netns client sessions tcp 10.1.0.100 80 2 fin 0 > fin.ports & bg_pids="$bg_pids $!"
in_netns client sessions tcp 10.1.0.100 80 2 rst 0 > rst.ports & bg_pids="$bg_pids $!"
in_netns client sessions tcp 10.1.0.100 80 2 talk 14 > talk.ports & bg_pids="$bg_pids $!"
in_netns client sessions tcp 10.1.0.100 80 2 keepalive 14 > keepalive.ports & bg_pids="$bg_pids $!"
in_netns client sessions udp 10.1.0.100 53 2 idle 16 > udp-idle.ports & bg_pids="$bg_pids $!"
in_netns client sessions udp 10.1.0.100 53 2 talk 14 > udp-talk.ports & bg_pids="$bg_pids $!"
sleep 15
echo "the table before the end:"; ipvstune conns

kill -INT $watch
wait $watch; status=$?
expect_eq "$status" 0 "watch exits 0 on SIGINT"
echo "watch printed:"; cat /tmp/watch.out; cat /tmp/watch.err

# The client ports of the idle-expiry events, by protocol, against the idle sessions' ports.
reported() { grep '"event":"idle-expiry"' /tmp/watch.out | grep "\"proto\":\"$1\"" | sed 's/.*"client":"10.1.0.2:\([0-9]*\)".*/\1/' | sort -n | tr '\n' ' '; }
expected() { sort -n "$@" | tr '\n' ' '; }
expect_eq "$(reported TCP)" "$(expected idle.ports)" "TCP idle expiries: exactly the idle connections"
expect_eq "$(reported UDP)" "$(expected udp-idle.ports)" "UDP idle expiries: exactly the idle flows"
[ "$(wc -l < idle.ports)" = 3 ] && [ "$(wc -l < udp-idle.ports)" = 2 ] || fail "the sessions did not all start"

# Each event names the service, the real server and the timeout that applied.
line=$(grep '"proto":"TCP"' /tmp/watch.out | head -1)
expect_contains "$line" '"virtual":"10.1.0.100:80","dest":"10.2.0.2:8080"' "TCP event endpoints"
expect_contains "$line" '"timeout":5' "TCP event timeout"
expect_contains "$line" '"netns":"host"' "TCP event namespace"
expect_contains "$(grep '"proto":"UDP"' /tmp/watch.out | head -1)" '"virtual":"10.1.0.100:53","dest":"10.2.0.2:8080"' "UDP event endpoints"

# The summary at exit counts them per namespace and virtual service.
summary=$(grep '"summary"' /tmp/watch.out)
expect_contains "$summary" '"virtual":"10.1.0.100:80","idle-expiry":3' "summary for the TCP service"
expect_contains "$summary" '"virtual":"10.1.0.100:53","idle-expiry":2' "summary for the UDP service"
