# The original incident, end to end: a session idle past the tcp timeout is reported by watch
# before its next write, and that write is reset (the director no longer knows the connection).
# After 'ipvstune set --tcp' with a longer value the same kind of session survives, and watch
# stays silent.
. /guest/lib.sh
. /guest/topology.sh
trap 'kill ${watch:-} 2>/dev/null; stop_background' EXIT
lvs_nat_topology
in_netns rs sessions echo 8080 & bg_pids="${bg_pids:-} $!"
ipvsadm -A -t 10.1.0.100:5432 -s rr
ipvsadm -a -t 10.1.0.100:5432 -r 10.2.0.2:8080 -m
ipvstune set --tcp 4 >/dev/null || fail "set"
ipvstune watch > /tmp/watch.out 2> /tmp/watch.err &
watch=$!
sleep 1

in_netns client sessions incident 10.1.0.100 5432 9 > /tmp/incident & session=$!
sleep 8
port=$(head -1 /tmp/incident)
[ -n "$port" ] || fail "the session did not start"
echo "watch, one second before the session writes again:"; cat /tmp/watch.out
expect_contains "$(cat /tmp/watch.out)" "idle-expiry" "reported before the write"
expect_contains "$(cat /tmp/watch.out)" "10.1.0.2:$port" "the session's client port"
expect_contains "$(cat /tmp/watch.out)" "ipvstune set --tcp" "the advice"
wait $session
expect_eq "$(sed -n 2p /tmp/incident)" reset "the next write after the expiry is reset"

ipvstune set --tcp 30 >/dev/null || fail "set --tcp 30"
before=$(grep -c idle-expiry /tmp/watch.out)
in_netns client sessions incident 10.1.0.100 5432 9 > /tmp/incident2 || fail "second session"
expect_eq "$(sed -n 2p /tmp/incident2)" ok "with tcp 30 s the session survives 9 idle seconds"
sleep 2
expect_eq "$(grep -c idle-expiry /tmp/watch.out)" "$before" "watch stays silent"
kill -TERM $watch
wait $watch; status=$?
expect_eq "$status" 0 "watch exits 0 on SIGTERM"
expect_contains "$(cat /tmp/watch.out)" "summary" "a summary at exit"
