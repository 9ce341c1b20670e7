# An LVS-NAT director in the root namespace between two test hosts in network namespaces,
# as the kernel's own selftest (tools/testing/selftests/net/netfilter/ipvs.sh) builds it:
#   client 10.1.0.2, fd01::2  --veth--  director 10.1.0.1, fd01::1 (VIPs 10.1.0.100, fd01::100)
#   real server 10.2.0.2, fd02::2  --veth--  director 10.2.0.1, fd02::1
# All addresses exist only inside the guest.
# iproute2's ip, by path: the busybox shell would run its own applet for a bare "ip".
IP=/usr/sbin/ip

lvs_nat_topology() {
    # A namespace goes away some time after its last process: the previous scenario's veth
    # pairs may still be here.
    $IP link del c1 2>/dev/null
    $IP link del r1 2>/dev/null
    new_netns client
    new_netns rs
    $IP link add c1 type veth peer name c0
    $IP link add r1 type veth peer name r0
    $IP link set c0 netns client
    $IP link set r0 netns rs
    $IP addr add 10.1.0.1/24 dev c1
    $IP addr add 10.1.0.100/24 dev c1
    $IP -6 addr add fd01::1/64 dev c1 nodad
    $IP -6 addr add fd01::100/64 dev c1 nodad
    $IP addr add 10.2.0.1/24 dev r1
    $IP -6 addr add fd02::1/64 dev r1 nodad
    $IP link set c1 up
    $IP link set r1 up
    in_netns client $IP addr add 10.1.0.2/24 dev c0
    in_netns client $IP -6 addr add fd01::2/64 dev c0 nodad
    in_netns client $IP link set c0 up
    in_netns client $IP route add default via 10.1.0.1
    in_netns client $IP -6 route add default via fd01::1
    in_netns rs $IP addr add 10.2.0.2/24 dev r0
    in_netns rs $IP -6 addr add fd02::2/64 dev r0 nodad
    in_netns rs $IP link set r0 up
    in_netns rs $IP route add default via 10.2.0.1
    in_netns rs $IP -6 route add default via fd02::1
    sysctl -qw net.ipv4.ip_forward=1
    sysctl -qw net.ipv6.conf.all.forwarding=1
}

# The real server's listeners, in the background; stopped by stop_background.
start_servers() {
    in_netns rs tcpgen listen 8080 & bg_pids="${bg_pids:-} $!"
    in_netns rs tcpgen listen 443 & bg_pids="$bg_pids $!"
    in_netns rs tcpgen udplisten 5353 & bg_pids="$bg_pids $!"
    sleep 1
}

stop_background() {
    for pid in ${bg_pids:-}; do kill "$pid" 2>/dev/null; done
    wait 2>/dev/null
    bg_pids=
}

# One line per entry, "proto state client virtual dest expires", sorted: from ipvsadm -Lnc...
table_by_ipvsadm() {
    ipvsadm -Lnc | awk 'NR > 2 { split($2, t, ":"); print $1, $3, $4, $5, $6, t[1] * 60 + t[2] }' | sort
}

# ...and from ipvstune conns --json, with a firewall mark written as ipvsadm writes it
# (fwmark:7 is 0.0.0.7:0 there).
table_by_ipvstune() {
    ipvstune conns --json "$@" \
        | sed 's/.*"proto":"\([^"]*\)","state":"\([^"]*\)","expires":\([0-9]*\),.*"client":"\([^"]*\)","virtual":"\([^"]*\)","dest":"\([^"]*\)".*/\1 \2 \4 \5 \6 \3/' \
        | awk '$4 ~ /^fwmark:/ { m = substr($4, 8) + 0; $4 = sprintf("%d.%d.%d.%d:0", int(m / 16777216) % 256, int(m / 65536) % 256, int(m / 256) % 256, m % 256) } { print }' \
        | sort
}
