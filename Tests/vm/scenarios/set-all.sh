# set with three values, like ipvsadm --set; a second identical set changes nothing.
. /guest/lib.sh
run ipvstune set 7200 120 300
expect_rc 0 "set 7200 120 300"
expect_eq "$out" "tcp 900 -> 7200" "set output"
expect_kernel "7200 120 300"

run ipvstune get --json
expect_eq "$out" '{"tcp":7200,"tcpfin":120,"udp":300}' "get after set"

run ipvstune set 7200 120 300
expect_rc 0 "repeated set"
expect_contains "$out" "nothing changed" "repeated set"
expect_kernel "7200 120 300"

run ipvstune set 3600 60 30 --json
expect_rc 0 "set --json"
expect_eq "$out" '{"changed":["tcp","tcpfin","udp"],"before":{"tcp":7200,"tcpfin":120,"udp":300},"after":{"tcp":3600,"tcpfin":60,"udp":30}}' "set --json"
expect_kernel "3600 60 30"

# What ipvsadm sets, ipvstune reads.
ipvsadm --set 1000 100 10
run ipvstune get --json
expect_eq "$out" '{"tcp":1000,"tcpfin":100,"udp":10}' "get after ipvsadm --set"
