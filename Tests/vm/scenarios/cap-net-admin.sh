# CAP_NET_ADMIN is what IPVS asks for: a non-root user holding only that capability can read
# and set the timeouts; without it, the same user gets the permission error (77).
. /guest/lib.sh
ipvsadm --set 1000 100 10
run capexec 1000 1000 ipvstune get --json
expect_rc 0 "get with only CAP_NET_ADMIN"
expect_eq "$out" '{"tcp":1000,"tcpfin":100,"udp":10}' "get with only CAP_NET_ADMIN"
run capexec 1000 1000 ipvstune set --tcp 2h
expect_rc 0 "set with only CAP_NET_ADMIN"
expect_kernel "7200 100 10" "set with only CAP_NET_ADMIN"
run capexec 1000 1000 id -u
expect_eq "$out" 1000 "capexec really drops root"
run_as_op ipvstune set --tcp 1h
expect_rc 77 "the same user without the capability"
expect_kernel "7200 100 10" "refused set changes nothing"
