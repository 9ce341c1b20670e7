# --tcp, --tcpfin and --udp change only what they name.
. /guest/lib.sh
run ipvstune set --udp 60
expect_rc 0 "set --udp"
expect_eq "$out" "udp 300 -> 60" "set --udp output"
expect_kernel "900 120 60"

run ipvstune set --tcpfin 30
expect_kernel "900 30 60" "after --tcpfin"

run ipvstune set --tcp 7200 --udp 120
expect_eq "$out" "tcp 900 -> 7200
udp 60 -> 120" "two flags"
expect_kernel "7200 30 120" "after --tcp --udp"
