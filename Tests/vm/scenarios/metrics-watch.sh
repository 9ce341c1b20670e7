# watch --textfile on real traffic through an LVS-NAT director, tcp and udp at 5 s: the file
# holds the idle-expiry totals per namespace and virtual service as counters, rewritten when
# they change (exactly the events printed), and ipvstune_watch_running 0 after SIGTERM.
. /guest/lib.sh
. /guest/topology.sh
. /guest/metrics.sh
trap 'kill ${watch:-} 2>/dev/null; stop_background' EXIT
lvs_nat_topology
in_netns rs sessions echo 8080 & bg_pids="${bg_pids:-} $!"
ipvsadm -A -t 10.1.0.100:80 -s rr
ipvsadm -a -t 10.1.0.100:80 -r 10.2.0.2:8080 -m
ipvsadm -A -u 10.1.0.100:53 -s rr
ipvsadm -a -u 10.1.0.100:53 -r 10.2.0.2:8080 -m
ipvstune set --tcp 5 --udp 5 >/dev/null || fail "set"
dir=/tmp/textfile
mkdir -p "$dir"
file=$dir/ipvstune-watch.prom

run ipvstune watch --textfile /tmp/missing/watch.prom
expect_rc 71 "watch --textfile into a missing folder"
expect_one_line_error "watch --textfile into a missing folder"

ipvstune watch --json --textfile "$file" > /tmp/watch.out 2> /tmp/watch.err &
watch=$!
sleep 1
expect_sample "$file" ipvstune_watch_running 1 "running at the start"
expect_eq "$(grep -c '^ipvstune_watch_idle_expiries_total' "$file")" 0 "no events yet"
in_netns client sessions tcp 10.1.0.100 80 3 idle 12 > /tmp/idle.ports & bg_pids="$bg_pids $!"
in_netns client sessions udp 10.1.0.100 53 2 idle 12 > /tmp/udp.ports & bg_pids="$bg_pids $!"
in_netns client sessions tcp 10.1.0.100 80 2 fin 0 > /tmp/fin.ports & bg_pids="$bg_pids $!"
sleep 12
cp "$file" /tmp/during.prom
exposition running /tmp/during.prom
cat /tmp/during.prom
expect_sample /tmp/during.prom 'ipvstune_watch_idle_expiries_total{netns="host",virtual="10.1.0.100:80"}' \
    "$(grep -c '"event":"idle-expiry".*"virtual":"10.1.0.100:80"' /tmp/watch.out)" "TCP idle expiries, as printed"
expect_sample /tmp/during.prom 'ipvstune_watch_idle_expiries_total{netns="host",virtual="10.1.0.100:80"}' 3 "TCP idle expiries"
expect_sample /tmp/during.prom 'ipvstune_watch_idle_expiries_total{netns="host",virtual="10.1.0.100:53"}' 2 "UDP idle expiries"

kill -TERM $watch
wait $watch
expect_eq "$?" 0 "watch exits 0 on SIGTERM"
watch=
exposition stopped "$file"
expect_sample "$file" ipvstune_watch_running 0 "stopped"
expect_sample "$file" 'ipvstune_watch_idle_expiries_total{netns="host",virtual="10.1.0.100:80"}' 3 "kept at exit"
expect_eq "$(ls -A "$dir")" "ipvstune-watch.prom" "no temporary file left"
