# Durations with units, and the 31-day upper bound, reach the kernel as exact seconds.
. /guest/lib.sh
run ipvstune set --tcp 1h30m --tcpfin 90s --udp 1d
expect_rc 0 "durations"
expect_kernel "5400 90 86400"

run ipvstune set 2h 2m 5m
expect_kernel "7200 120 300" "2h 2m 5m"

run ipvstune set 15m 0 0
expect_kernel "900 120 300" "15m"

run ipvstune set 31d 1 1
expect_rc 0 "31 days"
expect_kernel "2678400 1 1" "31d 1 1"

run ipvstune set 2678400 0 0
expect_rc 0 "2678400 s"
