# ipvstune explain on real traffic through an LVS-NAT director with a persistent service
# (-p 300) and a persistent, netmasked firewall-mark service: one client with a connection
# idle for a measured time, one busy, one closed, a UDP flow; then `set --tcp 5` (a connection
# opened after it and idle 6 s is gone, one opened before keeps its old expiry: idle unknown)
# and `set --udp 600` (the flow's idle is unknown: its timeout changed after its last packet).
# In a network namespace of its own, so that its templates (they live for minutes) are gone
# with it and no later scenario counts them.
if [ -z "${EXPLAIN_NETNS:-}" ]; then
    export EXPLAIN_NETNS=1
    exec unshare -n sh "$0"
fi
. /guest/lib.sh
. /guest/topology.sh
trap 'stop_background' EXIT
lvs_nat_topology
in_netns rs sessions echo 8080 & bg_pids="${bg_pids:-} $!"
in_netns rs sessions echo 443 & bg_pids="$bg_pids $!"
ipvsadm -A -t 10.1.0.100:80 -s rr -p 300
ipvsadm -a -t 10.1.0.100:80 -r 10.2.0.2:8080 -m
ipvsadm -A -u 10.1.0.100:53 -s rr
ipvsadm -a -u 10.1.0.100:53 -r 10.2.0.2:8080 -m
# Firewall mark 7 for the client's packets to port 443, set by tc as they reach the director
# (a mark set in the client's namespace is cleared on the way over the veth pair).
ipvsadm -A -f 7 -s rr -p 120 -M 255.255.255.0
ipvsadm -a -f 7 -r 10.2.0.2 -m
modprobe sch_ingress; modprobe cls_u32; modprobe act_skbedit
/usr/sbin/tc qdisc add dev c1 ingress || fail "tc qdisc"
/usr/sbin/tc filter add dev c1 parent ffff: protocol ip prio 1 u32 match ip dport 443 0xffff action skbedit mark 7 || fail "tc filter"
# ipvstune notes its timeout changes in /var/lib/ipvstune, as on a real director.
mkdir -p /var/lib
ipvstune set --tcp 900 --tcpfin 120 --udp 300 >/dev/null || fail "set"
sleep 1

clock_now() { awk '{ print $1 }' /proc/uptime; }
# first_line FILE: waits (up to 10 s) for the first port a sessions run prints.
first_line() {
    i=0
    while [ $i -lt 100 ]; do
        [ -s "$1" ] && { head -1 "$1"; return; }
        sleep 0.1; i=$((i + 1))
    done
    fail "no port in $1"
}
cd /tmp
in_netns client sessions tcp 10.1.0.100 80 1 idle 60 > idle.port & bg_pids="$bg_pids $!"
idle_port=$(first_line idle.port); idle_since=$(clock_now)
in_netns client sessions tcp 10.1.0.100 80 1 talk 60 > busy.port & bg_pids="$bg_pids $!"
in_netns client sessions tcp 10.1.0.100 80 1 fin 0 > closed.port & bg_pids="$bg_pids $!"
in_netns client sessions tcp 10.1.0.100 443 1 idle 60 > marked.port & bg_pids="$bg_pids $!"
in_netns client sessions udp 10.1.0.100 53 1 idle 60 > udp.port & bg_pids="$bg_pids $!"
busy_port=$(first_line busy.port); closed_port=$(first_line closed.port)
marked_port=$(first_line marked.port); udp_port=$(first_line udp.port); udp_since=$(clock_now)
sleep 8

# connection PORT: the JSON object of the client's connection from that port.
connection() { printf '%s\n' "$out" | grep -o "{\"proto\":\"[A-Z]*\",\"state\":\"[A-Z_]*\",\"client\":\"10.1.0.2:$1\"[^}]*}"; }
# field OBJECT KEY: a value of a JSON object, without quotes (a verdict may hold commas).
field() {
    v=$(printf '%s\n' "$1" | grep -o "\"$2\":\"[^\"]*\"" | head -1)
    [ -n "$v" ] || v=$(printf '%s\n' "$1" | grep -o "\"$2\":[^,}\"]*" | head -1)
    printf '%s\n' "${v#*:}" | tr -d '"'
}
within() { awk -v a="$1" -v b="$2" -v d="$3" 'BEGIN { x = a - b; exit !(x <= d && -x <= d) }'; }

# The table is read between these two clock readings.
before=$(clock_now)
run ipvstune explain 10.1.0.2 --json
now=$(awk -v a="$before" -v b="$(clock_now)" 'BEGIN { print (a + b) / 2 }')
expect_rc 0 "explain"
echo "explain printed: $out"
echo "ipvsadm -Lnc:"; ipvsadm -Lnc
[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "explain --json prints one object"
expect_contains "$out" '{"client":"10.1.0.2","netns":"host","timeouts":{"tcp":900,"tcpfin":120,"udp":300},"templates":[' "the head"
expect_contains "$out" '{"virtual":"10.1.0.100:80","dest":"10.2.0.2:8080","expires":' "the service's template"
expect_contains "$out" ',"persistence":300}' "its persistence timeout"
# A firewall-mark template holds port 0; its connections keep their own port.
expect_contains "$out" '{"virtual":"fwmark:7","dest":"10.2.0.2:0","expires":' "the firewall-mark template (10.1.0.0 under the /24 netmask)"
ipvsadm -Lnc | grep -q 'IP .*10.1.0.0:0 ' || fail "the kernel's fwmark template holds the masked 10.1.0.0"

idle=$(connection "$idle_port")
measured=$(awk -v a="$now" -v b="$idle_since" 'BEGIN { printf "%.1f", a - b }')
echo "idle connection: measured idle $measured s, explain says $(field "$idle" idle) s"
expect_eq "$(field "$idle" state)" ESTABLISHED "the idle connection's state"
within "$(field "$idle" idle)" "$measured" 2 || fail "idle $(field "$idle" idle) s is not within 2 s of the measured $measured s"
expect_contains "$(field "$idle" verdict)" "if it stays idle; its next packet after that is answered with a reset" "the idle connection's verdict"
busy=$(connection "$busy_port")
expect_eq "$(field "$busy" state)" ESTABLISHED "the busy connection's state"
[ "$(field "$busy" idle)" -lt 3 ] || fail "the busy connection idles $(field "$busy" idle) s"
closed=$(connection "$closed_port")
echo "closed connection: $closed"
expect_contains "$(field "$closed" verdict)" "closing: removed in " "the closed connection"
marked=$(connection "$marked_port")
# A connection holds the address it was sent to; only the template holds the mark.
expect_eq "$(field "$marked" virtual)" "10.1.0.100:443" "the marked connection's service"
expect_eq "$(field "$marked" dest)" "10.2.0.2:443" "the marked connection's real server"
udp=$(connection "$udp_port")
expect_eq "$(field "$udp" state)" UDP "the UDP flow"
measured=$(awk -v a="$now" -v b="$udp_since" 'BEGIN { printf "%.1f", a - b }')
within "$(field "$udp" idle)" "$measured" 2 || fail "the UDP flow's idle $(field "$udp" idle) s is not within 2 s of the measured $measured s"

# The same in the text.
run ipvstune explain 10.1.0.2
echo "$out"
expect_contains "$out" "client 10.1.0.2 in namespace host" "text heading"
expect_contains "$out" "fwmark:7 -> 10.2.0.2:0  expires " "text template"
expect_contains "$out" "TCP ESTABLISHED 10.1.0.2:$idle_port -> 10.1.0.100:80 -> 10.2.0.2:8080  expires " "text connection"

# A timeout change reaches an entry at its next packet only.
run ipvstune set --tcp 5 --udp 600
expect_rc 0 "set --tcp 5 --udp 600"
grep -q ' tcp ' /var/lib/ipvstune/timeout-changes || fail "set noted its change: $(cat /var/lib/ipvstune/timeout-changes)"
in_netns client sessions tcp 10.1.0.100 80 1 idle 60 > late.port & bg_pids="$bg_pids $!"
late_port=$(first_line late.port)
sleep 6
run ipvstune explain 10.1.0.2 --json
echo "after set --tcp 5 --udp 600: $out"
echo "ipvsadm -Lnc:"; ipvsadm -Lnc
[ -z "$(connection "$late_port")" ] || fail "a connection opened after set --tcp 5 and idle 6 s is still explained"
ipvstune conns --client 10.1.0.2 | grep -q ":$late_port " && fail "conns still lists it"
ipvsadm -Lnc | grep -q "10.1.0.2:$late_port " && fail "the kernel still has it"
idle=$(connection "$idle_port")
expires=$(field "$idle" expires)
now=$(clock_now)
[ "$expires" -gt 5 ] || fail "the connection opened before the change lost its old expiry: $idle"
within "$expires" "$(awk -v a="$now" -v b="$idle_since" 'BEGIN { print 900 - (a - b) }')" 2 || fail "its expiry $expires is not the old 900 s countdown"
expect_eq "$(field "$idle" idle)" null "its idle, armed under 900 s"
expect_contains "$(field "$idle" verdict)" "armed under an earlier, longer tcp timeout (now 5 s)" "its verdict"
# The busy connection talks every 2 s; a guest starved of CPU may let it expire at 5 s.
busy=$(connection "$busy_port")
if [ -n "$busy" ]; then
    [ "$(field "$busy" expires)" -le 5 ] || fail "the busy connection was re-armed to 5 s: $busy"
    [ "$(field "$busy" idle)" != null ] || fail "the busy connection's idle is known: its last packet came after the change"
else
    echo "note: the busy connection expired at the 5 s timeout"
fi
udp=$(connection "$udp_port")
expect_eq "$(field "$udp" idle)" null "the UDP flow's idle, its timeout raised after its last packet"
expect_contains "$(field "$udp" verdict)" "the udp timeout was changed after its last packet may have come" "the UDP verdict"

# Every namespace where the client has entries: the host only.
run ipvstune explain 10.1.0.2 --all-netns --json
expect_rc 0 "--all-netns"
expect_eq "$(printf '%s\n' "$out" | wc -l)" 1 "one namespace with entries"
expect_contains "$out" '"netns":"host"' "--all-netns names it"

# Another client of the same /24 is covered by the firewall-mark template, and by nothing else.
run ipvstune explain 10.1.0.7 --json
expect_contains "$out" '"templates":[{"virtual":"fwmark:7","dest":"10.2.0.2:0","expires":' "the /24 template covers 10.1.0.7"
expect_contains "$out" ',"persistence":120}],"connections":[]}' "only that template"
run ipvstune explain 10.9.0.7
expect_rc 0 "a client without entries"
expect_eq "$out" "no IPVS entries for 10.9.0.7 in namespace host" "a client without entries"
run ipvstune explain 10.9.0.7 --json
expect_eq "$out" '{"client":"10.9.0.7","netns":"host","timeouts":{"tcp":5,"tcpfin":120,"udp":600},"templates":[],"connections":[]}' "a client without entries in JSON"
run ipvstune explain 10.1.0
expect_rc 64 "a malformed address"
expect_one_line_error "a malformed address"
