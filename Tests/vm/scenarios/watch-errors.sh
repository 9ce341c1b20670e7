# watch's errors: one line on stderr and the documented exit code, before anything is watched.
. /guest/lib.sh
mkdir -p /run/netns
new_netns client
run ipvstune watch --interval 0
expect_rc 64 "--interval 0"
expect_one_line_error "--interval 0"
run ipvstune watch --netns nowhere
expect_rc 66 "a namespace that does not exist"
expect_one_line_error "a namespace that does not exist"
run ipvstune watch --netns client --all-netns
expect_rc 64 "--netns with --all-netns"
run_as_op ipvstune watch
expect_rc 77 "no permission"
expect_one_line_error "no permission"
run ipvstune watch --summary-every 1x
expect_rc 64 "a bad --summary-every"
expect_one_line_error "a bad --summary-every"

# IPVS unloaded and no modprobe to load it: 69.
ipvsadm -C
rmmod ip_vs_rr ip_vs_wlc ip_vs_sh ip_vs_pe_sip 2>/dev/null || true
rmmod ip_vs || fail "cannot unload ip_vs for the test"
hide_modprobe
run ipvstune watch
unhide_modprobe
expect_rc 69 "watch without IPVS"
expect_one_line_error "watch without IPVS"
