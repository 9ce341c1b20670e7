# A fresh kernel reads 900 120 300, in every output form, the same as ipvsadm.
. /guest/lib.sh
expect_kernel "900 120 300"

run ipvstune get --json
expect_rc 0 "get --json"
expect_eq "$out" '{"tcp":900,"tcpfin":120,"udp":300}' "get --json"

run ipvstune get
expect_rc 0 "get"
expect_eq "$(echo "$out" | awk '{print $2}' | xargs)" "$(kernel_timeouts)" "get text against ipvsadm"
expect_contains "$out" "tcp" "get text"

for name in tcp tcpfin udp; do
    run ipvstune get $name
    expect_rc 0 "get $name"
done
run ipvstune get tcp;    expect_eq "$out" 900 "get tcp"
run ipvstune get tcpfin; expect_eq "$out" 120 "get tcpfin"
run ipvstune get udp;    expect_eq "$out" 300 "get udp"
