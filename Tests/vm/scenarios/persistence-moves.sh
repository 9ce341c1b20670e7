# Which persistent service moves a live client, on real UDP traffic through the director:
# - plain UDP, persistence 3 s, udp timeout 300 s: the client's first flow keeps its entry,
#   the kernel re-arms the expired template, and a new flow 6 s later goes to the same server;
# - one-packet scheduling (-o): no entry holds the template, so 6 s later the client is moved;
#   doctor warns, and after its fix (persistence = udp timeout) the client stays.
. /guest/lib.sh
. /guest/topology.sh
. /guest/doctor.sh
trap 'stop_background; rm -rf /etc/systemd /lib/systemd' EXIT
fake_enabled_unit
ipvstune set --tcp 7275 --save >/dev/null
lvs_nat_topology
in_netns rs tcpgen udplisten 5353 & bg_pids="$!"
in_netns rs tcpgen udplisten 5354 & bg_pids="$bg_pids $!"
sleep 1

# took: the real server the client's template points to, into $dest. (The per-server counters
# of ipvsadm --stats lag by up to 2 s on newer kernels; the template is exact.)
took() {
    dest=$(ipvsadm -Lnc | awk -v v="10.1.0.100:$vport" '$4 == "10.1.0.2:0" && $5 == v { split($6, d, ":"); print d[2] }')
    echo "client's template on :$vport -> ${dest:-none}"
}
# service PORT [-o]: a persistent UDP service on PORT (its own, so no template of an earlier
# one, which outlives the service, is reused) with two real servers, round robin.
service() {
    vport=$1; shift
    ipvsadm -A -u 10.1.0.100:$vport -s rr -p 3 "$@"
    ipvsadm -a -u 10.1.0.100:$vport -r 10.2.0.2:5353 -m
    ipvsadm -a -u 10.1.0.100:$vport -r 10.2.0.2:5354 -m
}

service 53
in_netns client tcpgen udp 10.1.0.100 53 1 || fail "first flow"
took; first=$dest; [ -n "$first" ] || fail "no template for the client"
sleep 6
ipvsadm -Lnc
in_netns client tcpgen udp 10.1.0.100 53 1 || fail "second flow"
took; expect_eq "$dest" "$first" "plain UDP: a new flow 6 s later, past persistence 3 s, stays while the first flow's entry lives"
run ipvstune doctor
expect_finding info persistence "plain UDP is a note"

ipvsadm -C
service 54 -o
in_netns client tcpgen udpsend 10.1.0.100 54 1
took; first=$dest; [ -n "$first" ] || fail "no template for the client"
in_netns client tcpgen udpsend 10.1.0.100 54 1
took; expect_eq "$dest" "$first" "one-packet: a datagram within persistence stays"
sleep 6
ipvsadm -Lnc
in_netns client tcpgen udpsend 10.1.0.100 54 1
took
[ "$dest" != "$first" ] || fail "one-packet: the datagram 6 s later should have moved from $first"
run ipvstune doctor
echo "$out"
expect_finding warning persistence "one-packet UDP moves the client"
fix=$(fix_of persistence)
expect_eq "$fix" "ipvsadm -E -u 10.1.0.100:54 -s rr -p 300 -o" "the fix"
$fix || fail "running $fix"
# A template keeps the timeout it was made with: let the one made under -p 3 run out.
sleep 4
in_netns client tcpgen udpsend 10.1.0.100 54 1
took; first=$dest; [ -n "$first" ] || fail "no template for the client"
sleep 6
in_netns client tcpgen udpsend 10.1.0.100 54 1
took; expect_eq "$dest" "$first" "one-packet after the fix: the client stays"
run ipvstune doctor
expect_finding ok persistence "after the fix"
