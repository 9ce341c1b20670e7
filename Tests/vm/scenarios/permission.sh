# A non-root user gets the permission error (77), even to read, and changes nothing.
. /guest/lib.sh
ipvsadm --set 1000 100 10

run_as_op ipvstune get
expect_rc 77 "get as non-root"
expect_one_line_error "get as non-root"
expect_contains "$err" "CAP_NET_ADMIN" "get as non-root"

run_as_op ipvstune set 7200 120 300
expect_rc 77 "set as non-root"
expect_one_line_error "set as non-root"
expect_kernel "1000 100 10" "after a refused non-root set"

# ipvsadm is refused too: the kernel, not ipvstune, decides.
run_as_op ipvsadm -L --timeout
[ "$rc" != 0 ] || fail "ipvsadm as non-root succeeded"
