# tcp-keepalive: a tcp timeout at or below net.ipv4.tcp_keepalive_time makes IPVS forget idle
# connections before their first keepalive probe. The keepalive time is read in the namespace
# checked, since it is per namespace.
. /guest/lib.sh
. /guest/doctor.sh
trap 'rm -rf /etc/systemd /lib/systemd; sysctl -qw net.ipv4.tcp_keepalive_time=7200' EXIT
# Everything else as doctor wants it: a config and the boot unit enabled.
fake_enabled_unit

# Equal is not enough: the probe loses the race with the expiry.
ipvstune set --tcp 7200 --save >/dev/null
run ipvstune doctor
echo "$out"
expect_rc 1 "tcp equal to the keepalive time"
expect_finding warning tcp-keepalive "tcp 7200"
expect_eq "$(echo "$out" | grep -c '^warning')" 1 "only tcp-keepalive is wrong"
expect_eq "$(fix_of tcp-keepalive)" "ipvstune set --tcp 7275 --save" "fix: keepalive time plus one probe interval"
run sh -c "$(fix_of tcp-keepalive)"
expect_rc 0 "running the fix"
expect_kernel "7275 120 300" "after the fix"
run ipvstune doctor
expect_rc 0 "after the fix"
expect_finding ok tcp-keepalive "tcp 7275"

# A longer keepalive time on the host moves the recommendation.
sysctl -qw net.ipv4.tcp_keepalive_time=9000
sysctl -qw net.ipv4.tcp_keepalive_intvl=30
run ipvstune doctor
expect_rc 1 "keepalive time raised to 9000"
expect_eq "$(fix_of tcp-keepalive)" "ipvstune set --tcp 9030 --save" "fix from the host's sysctls"
run sh -c "$(fix_of tcp-keepalive)"
run ipvstune doctor
expect_rc 0 "after following the new recommendation"
sysctl -qw net.ipv4.tcp_keepalive_intvl=75

# In a namespace, its own sysctls count: blue keeps 900 but probes after 600 s there.
new_netns blue
in_netns blue sysctl -qw net.ipv4.tcp_keepalive_time=600
run ipvstune doctor --netns blue
echo "$out"
expect_finding ok tcp-keepalive "900 above blue's keepalive time 600"
expect_contains "$out" "tcp timeout 900 s (15m) is above the TCP keepalive time 600 s (10m)" "blue's own keepalive time"
in_netns blue sysctl -qw net.ipv4.tcp_keepalive_time=7200
run ipvstune doctor --netns blue
expect_finding warning tcp-keepalive "900 below blue's keepalive time 7200"
expect_eq "$(fix_of tcp-keepalive)" "ipvstune set --netns /run/netns/blue --tcp 7275" "the fix names the namespace"
run sh -c "$(fix_of tcp-keepalive)"
expect_eq "$(in_netns blue ipvsadm -L --timeout)" "Timeout (tcp tcpfin udp): 7275 120 300" "blue after its fix"
run ipvstune doctor --netns blue
expect_finding ok tcp-keepalive "blue after its fix"
