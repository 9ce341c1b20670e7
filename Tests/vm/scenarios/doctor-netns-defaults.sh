# netns-defaults: a namespace in /run/netns or /var/run/docker/netns with IPVS services that still
# runs 900/120/300 has missed every setting; apply --all-netns, or a netns = line, fixes it.
. /guest/lib.sh
. /guest/doctor.sh
cleanup() {
    for f in /var/run/docker/netns/*; do [ -e "$f" ] && umount "$f" && rm -f "$f"; done
    rm -rf /etc/systemd /lib/systemd
}
trap cleanup EXIT
fake_enabled_unit
ipvstune set --tcp 7275 --save >/dev/null

new_netns blue
new_netns quiet
in_netns blue ipvsadm -A -t 10.9.9.9:80 -s rr
run ipvstune doctor
echo "$out"
expect_rc 1 "blue on the defaults with a service"
expect_finding warning netns-defaults "blue"
expect_contains "$out" "/run/netns/blue has 1 IPVS service but still runs the kernel's defaults 900/120/300" "reason"
echo "$out" | grep -q "/run/netns/quiet has" && fail "a namespace without services is not a problem"
expect_eq "$(echo "$out" | grep -c '^warning')" 1 "only blue is wrong"
expect_eq "$(fix_of netns-defaults)" "ipvstune apply --all-netns" "fix"
expect_contains "$out" "or: add the line 'netns = /run/netns/blue' to /etc/ipvstune.conf" "second fix"
run sh -c "$(fix_of netns-defaults)"
expect_rc 0 "apply --all-netns"
expect_eq "$(in_netns blue ipvsadm -L --timeout)" "Timeout (tcp tcpfin udp): 7275 120 300" "blue after the fix"
run ipvstune doctor
expect_rc 0 "after apply --all-netns"
expect_contains "$out" "none of 2 other network namespaces runs the default timeouts with IPVS services" "ok line"

# Docker: lb_* namespaces come and go, so the suggested netns = line is a glob.
mkdir -p /var/run/docker/netns
touch /var/run/docker/netns/lb_web
unshare --net=/var/run/docker/netns/lb_web true
nsenter --net=/var/run/docker/netns/lb_web ipvsadm -A -f 256 -s rr
run ipvstune doctor
expect_rc 1 "lb_web on the defaults"
expect_contains "$out" "/var/run/docker/netns/lb_web has 1 IPVS service but still runs" "lb_web reason"
expect_contains "$out" "or: add the line 'netns = /var/run/docker/netns/lb_*' to /etc/ipvstune.conf, so every apply (and boot) covers it" "glob suggestion"
echo 'netns = /var/run/docker/netns/lb_*' >> /etc/ipvstune.conf
run ipvstune apply
expect_rc 0 "apply with the netns = line"
run ipvstune doctor
expect_rc 0 "after apply with the netns = line"
expect_eq "$(nsenter --net=/var/run/docker/netns/lb_web ipvsadm -L --timeout)" "Timeout (tcp tcpfin udp): 7275 120 300" "lb_web after apply"
