# ipvstune conns against ipvsadm -Lnc on real entries made by real traffic through an
# LVS-NAT director: a persistent TCP service (templates), UDP, IPv6, a firewall-mark service
# and TIME_WAIT entries. Every row must match ipvsadm's field by field.
# The director is a network namespace of its own, so its entries go with it: before 7.x the
# kernel keeps one table for every namespace, and entries left to expire later would shift
# the reads of the scenarios after this one (see conns-resize).
if [ -z "${CONNS_KERNEL_NETNS:-}" ]; then
    export CONNS_KERNEL_NETNS=1
    exec unshare -n sh "$0"
fi
. /guest/lib.sh
. /guest/topology.sh
ip link set lo up
trap stop_background EXIT
lvs_nat_topology
start_servers

ipvsadm -A -t 10.1.0.100:80 -s rr -p 300
ipvsadm -a -t 10.1.0.100:80 -r 10.2.0.2:8080 -m
ipvsadm -A -u 10.1.0.100:53 -s rr
ipvsadm -a -u 10.1.0.100:53 -r 10.2.0.2:5353 -m
ipvsadm -A -t [fd01::100]:80 -s rr
ipvsadm -a -t [fd01::100]:80 -r [fd02::2]:8080 -m
ipvsadm -A -f 7 -s rr -p 120
ipvsadm -a -f 7 -r 10.2.0.2:8080 -m

in_netns client tcpgen connect 10.1.0.100 80 3 -k 120 & bg_pids="$bg_pids $!"
in_netns client tcpgen connect fd01::100 80 2 -k 120 & bg_pids="$bg_pids $!"
in_netns client tcpgen connect 10.1.0.100 80 2 -c || fail "TCP connections through the VIP failed"
in_netns client tcpgen udp 10.1.0.100 53 2 || fail "UDP through the VIP failed"
# A local client's socket mark selects the firewall-mark service (no iptables needed).
tcpgen connect 10.1.0.100 443 1 -m 7 -k 120 & bg_pids="$bg_pids $!"
sleep 3

ours=$(table_by_ipvstune)
theirs=$(table_by_ipvsadm)
echo "ipvsadm -Lnc:"; ipvsadm -Lnc
echo "ipvstune conns:"; ipvstune conns

# Same entries, same fields; expiry may tick between the two reads.
strip() { printf '%s\n' "$1" | awk '{ $6 = ""; print }'; }
expect_eq "$(strip "$ours")" "$(strip "$theirs")" "entries (without expiry)"
printf '%s\n' "$ours" > /tmp/ours
printf '%s\n' "$theirs" | paste -d' ' /tmp/ours - | awk '{ d = $6 - $12; if (d < -2 || d > 2) { print "expiry differs: " $0; bad = 1 } } END { exit bad }' \
    || fail "expiry differs by more than 2 s"

# Each kind of row is there.
expect_contains "$ours" " 10.1.0.2:0 10.1.0.100:80 10.2.0.2:8080 " "a persistence template"
expect_contains "$ours" "TCP ESTABLISHED 10.1.0.2:" "an ESTABLISHED entry"
expect_contains "$ours" "TIME_WAIT 10.1.0.2:" "a TIME_WAIT entry"
expect_contains "$ours" "UDP UDP 10.1.0.2:" "a UDP entry"
expect_contains "$ours" "TCP ESTABLISHED [fd01::2]:" "an IPv6 entry"
printf '%s\n' "$ours" | grep -q '^IP \(NONE\|ASSURED\) 10\.1\.0\.1:0 0\.0\.0\.7:0 10\.2\.0\.2:0 ' || fail "no firewall-mark template"
expect_contains "$ours" "TCP ESTABLISHED 10.1.0.1:" "a connection through the firewall-mark service"

# Filters and counts agree with what ipvsadm shows.
count() { printf '%s\n' "$theirs" | grep -c "$1" || true; }
run ipvstune conns --count;                       expect_eq "$out" "$(printf '%s\n' "$theirs" | grep -c .)" "--count"
run ipvstune conns --templates --count;           expect_eq "$out" "$(printf '%s\n' "$theirs" | awk '$3 ~ /:0$/' | grep -c .)" "--templates --count"
run ipvstune conns --proto udp --count;           expect_eq "$out" "$(count '^UDP ')" "--proto udp"
run ipvstune conns --state time_wait --count;     expect_eq "$out" "$(count ' TIME_WAIT ')" "--state time_wait"
run ipvstune conns --virtual [fd01::100]:80 --count; expect_eq "$out" "$(count ' \[fd01::100\]:80 ')" "--virtual ipv6"
run ipvstune conns --client 10.1.0.0/24 --no-templates --proto tcp --state established --count
expect_eq "$out" "$(printf '%s\n' "$theirs" | awk '$1 == "TCP" && $2 == "ESTABLISHED" && $3 ~ /^10\.1\.0\./ && $3 !~ /:0$/' | grep -c .)" "composed filters"
run ipvstune conns --summary
expect_rc 0 "--summary"
expect_contains "$out" "TIME_WAIT" "--summary by state"
run ipvstune conns --summary --json
expect_rc 0 "--summary --json"
