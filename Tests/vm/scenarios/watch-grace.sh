# A persistence template whose timeout runs out while the connection it placed still lives:
# the kernel keeps it 60 s at a time (the one-minute grace), and watch reports template-grace.
# A connection that keeps talking is no idle expiry.
. /guest/lib.sh
. /guest/topology.sh
trap 'kill ${watch:-} 2>/dev/null; stop_background' EXIT
lvs_nat_topology
in_netns rs sessions echo 8080 & bg_pids="${bg_pids:-} $!"
ipvsadm -A -t 10.1.0.100:80 -s rr -p 3
ipvsadm -a -t 10.1.0.100:80 -r 10.2.0.2:8080 -m
ipvstune watch --json > /tmp/watch.out 2> /tmp/watch.err &
watch=$!
sleep 1
in_netns client sessions tcp 10.1.0.100 80 1 talk 10 > /tmp/talk.ports || fail "the session failed"
echo "the table:"; ipvstune conns
kill -INT $watch
wait $watch; status=$?
expect_eq "$status" 0 "watch exits 0"
cat /tmp/watch.out /tmp/watch.err
grace=$(grep '"event":"template-grace"' /tmp/watch.out)
expect_contains "$grace" '"client":"10.1.0.2:0","virtual":"10.1.0.100:80","dest":"10.2.0.2:8080"' "the template"
expect_contains "$grace" '"timeout":3' "its persistence timeout"
expect_eq "$(grep -c '"event":"template-grace"' /tmp/watch.out)" 1 "reported once"
expect_eq "$(grep -c '"event":"idle-expiry"' /tmp/watch.out)" 0 "the talking connection is no idle expiry"
