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

# conns PORT: the connections the kernel scheduled to real server 10.2.0.2:PORT.
conns() { ipvsadm -Ln --stats | awk -v d="10.2.0.2:$1" '$2 == d { print $3 }'; }
# took: which real server took the last datagram (the one whose count grew), into $dest.
took() {
    now="$(conns 5353) $(conns 5354)"
    set -- $now $last
    last=$now
    if [ "$1" != "$3" ]; then dest=5353; else dest=5354; fi
    echo "datagram to $dest (counts $now)"
}
service() {
    ipvsadm -C
    ipvsadm -A -u 10.1.0.100:53 -s rr -p 3 "$@"
    ipvsadm -a -u 10.1.0.100:53 -r 10.2.0.2:5353 -m
    ipvsadm -a -u 10.1.0.100:53 -r 10.2.0.2:5354 -m
    last="0 0"
}

service
in_netns client tcpgen udp 10.1.0.100 53 1 || fail "first flow"
took; first=$dest
sleep 6
ipvsadm -Lnc
in_netns client tcpgen udp 10.1.0.100 53 1 || fail "second flow"
took; expect_eq "$dest" "$first" "plain UDP: a new flow 6 s later, past persistence 3 s, stays while the first flow's entry lives"
run ipvstune doctor
expect_finding info persistence "plain UDP is a note"

service -o
in_netns client tcpgen udpsend 10.1.0.100 53 1
took; first=$dest
in_netns client tcpgen udpsend 10.1.0.100 53 1
took; expect_eq "$dest" "$first" "one-packet: a datagram within persistence stays"
sleep 6
ipvsadm -Lnc
in_netns client tcpgen udpsend 10.1.0.100 53 1
took
[ "$dest" != "$first" ] || fail "one-packet: the datagram 6 s later should have moved from $first"
run ipvstune doctor
echo "$out"
expect_finding warning persistence "one-packet UDP moves the client"
fix=$(fix_of persistence)
expect_eq "$fix" "ipvsadm -E -u 10.1.0.100:53 -s rr -p 300 -o" "the fix"
$fix || fail "running $fix"
in_netns client tcpgen udpsend 10.1.0.100 53 1
took; first=$dest
sleep 6
in_netns client tcpgen udpsend 10.1.0.100 53 1
took; expect_eq "$dest" "$first" "one-packet after the fix: the client stays"
run ipvstune doctor
expect_finding ok persistence "after the fix"
