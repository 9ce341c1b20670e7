# ipvstune loads ip_vs when it is missing, and says IPVS is unavailable (69) when it
# cannot be loaded.
. /guest/lib.sh
ipvsadm -C
rmmod ip_vs_rr ip_vs_wlc ip_vs_sh ip_vs_pe_sip 2>/dev/null || true
rmmod ip_vs || fail "cannot unload ip_vs for the test"
grep -q '^ip_vs ' /proc/modules && fail "ip_vs still loaded"

# Neither the kernel's request_module nor ipvstune finds a modprobe.
hide_modprobe
run ipvstune get
unhide_modprobe
expect_rc 69 "get without ip_vs and without modprobe"
expect_one_line_error "get without ip_vs"
expect_contains "$err" "modprobe ip_vs" "advice"

run ipvstune get --json
expect_rc 0 "get with modprobe back"
expect_eq "$out" '{"tcp":900,"tcpfin":120,"udp":300}' "defaults after loading"
grep -q '^ip_vs ' /proc/modules || fail "ip_vs was not loaded"

# A kernel without IPVS at all: modprobe exists but finds no ip_vs module.
ipvsadm -C
rmmod ip_vs_rr ip_vs_wlc ip_vs_sh ip_vs_pe_sip 2>/dev/null || true
rmmod ip_vs || fail "cannot unload ip_vs again"
mv /lib/modules/$(uname -r)/kernel/net/netfilter/ipvs /tmp/ipvs-modules
run ipvstune get
mv /tmp/ipvs-modules /lib/modules/$(uname -r)/kernel/net/netfilter/ipvs
expect_rc 69 "get on a kernel without IPVS"
expect_one_line_error "get on a kernel without IPVS"
run ipvstune set --tcp 2h
expect_rc 0 "set once the modules are back"
