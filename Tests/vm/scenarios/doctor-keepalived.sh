# keepalived.conf without keepalived: lvs_timeouts in global_defs is compared with ipvstune's
# config and the kernel, judged like the kernel's tcp, and the lines doctor cannot use are named.
# What the real daemon does (which version sets what, restore on stop and reload) is checked
# with Debian's keepalived in the boot test (Tests/vm/boot/cases/keepalived); no stand-in here.
. /guest/lib.sh
. /guest/doctor.sh
cleanup() {
    rm -rf /etc/systemd /lib/systemd /etc/keepalived
}
trap cleanup EXIT
mkdir -p /etc/keepalived
fake_enabled_unit
ipvstune set --tcp 7275 --save >/dev/null

# conf LVS_TIMEOUTS [EXTRA]: a keepalived.conf with these global_defs.
conf() {
    cat > /etc/keepalived/keepalived.conf <<CONF
! Configuration File for keepalived
global_defs {
   router_id LVS_DEVEL
   ${2:-}
   $1
}

virtual_server 10.1.0.100 80 {
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 10.2.0.2 8080 {
        weight 1
    }
}
CONF
}

# Against ipvstune's config: the two owners disagree about udp.
conf "lvs_timeouts tcp 7275 udp 60"
run ipvstune doctor
echo "$out"
expect_rc 1 "keepalived disagrees with the config"
expect_finding warning keepalived "udp 60 against the config's 300"
expect_contains "$out" "/etc/keepalived/keepalived.conf:5 sets udp 60 where ipvstune's config says 300 (/etc/ipvstune.conf:" "the conflict"
expect_contains "$out" "puts them back when it stops and before each reload" "the restore on stop"
expect_contains "$out" "keepalived (version unknown: no dpkg record, no keepalived --version; judged as 2.1.4 or later)" "no keepalived here"
expect_eq "$(echo "$out" | grep -c '^warning')" 1 "only keepalived is wrong"
expect_eq "$(fix_of keepalived)" "sed -i '5c\   lvs_timeouts tcp 7275 udp 300' /etc/keepalived/keepalived.conf && systemctl reload keepalived" "fix"
# The fix's edit, without the reload (no keepalived runs here).
sh -c "$(fix_of keepalived | sed 's/ && systemctl reload keepalived$//')"
run ipvstune doctor
expect_rc 0 "keepalived agrees"
expect_contains "$out" "/etc/keepalived/keepalived.conf:5 sets tcp 7275, udp 300, as the kernel and ipvstune's config have" "ok line"

# The value keepalived's examples use, tcp 7200, loses the race with the keepalive probe.
conf "lvs_timeouts tcp 7200 tcpfin 120 udp 300"
run ipvstune doctor
expect_rc 1 "lvs_timeouts tcp 7200"
expect_contains "$out" "sets tcp 7200, not above the TCP keepalive time 7200 s (2h)" "tcp 7200 reason"
expect_contains "$(fix_of keepalived)" "lvs_timeouts tcp 7275 tcpfin 120 udp 300' /etc/keepalived/keepalived.conf" "tcp 7200 fix"

# Against the kernel, with a config that leaves udp alone, and no keepalived running.
printf 'tcp = 7275\n' > /etc/ipvstune.conf
conf "lvs_timeouts tcp 7275 udp 60"
run ipvstune doctor
echo "$out"
expect_rc 1 "keepalived's udp not in the kernel"
expect_contains "$out" "sets udp 60 where the kernel has 300: keepalived is not running" "not running"
expect_eq "$(fix_of keepalived)" "ipvstune set --udp 60 --save" "fix: let ipvstune hold them too"
run sh -c "$(fix_of keepalived)"
expect_kernel "7275 120 60" "after the fix"
run ipvstune doctor
expect_rc 0 "keepalived, kernel and config agree"

# Lines doctor cannot use: a value keepalived does not read, lvs_timeouts outside global_defs, include.
conf "lvs_timeouts tcp 2h"
printf 'include /etc/keepalived/conf.d/*.conf\nvrrp_instance VI_1 {\n    lvs_timeouts tcp 1\n}\n' >> /etc/keepalived/keepalived.conf
run ipvstune doctor
echo "$out"
expect_rc 1 "bad lines"
expect_contains "$out" "keepalived.conf:5: lvs_timeouts: tcp '2h' is not whole seconds" "2h"
expect_contains "$out" "keepalived.conf:18: lvs_timeouts outside global_defs" "outside global_defs"
expect_finding info keepalived "include"
expect_contains "$out" "keepalived.conf:16 includes /etc/keepalived/conf.d/*.conf" "include line"

# --keepalived-conf reads another file.
mv /etc/keepalived/keepalived.conf /etc/keepalived/lb.conf
run ipvstune doctor
expect_contains "$out" "no keepalived config (/etc/keepalived/keepalived.conf)" "default path gone"
run ipvstune doctor --keepalived-conf /etc/keepalived/lb.conf
expect_contains "$out" "lb.conf:5: lvs_timeouts: tcp '2h'" "--keepalived-conf"
