# 0 leaves a value as it is, as in ipvsadm --set; the kernel never stores 0.
. /guest/lib.sh
ipvsadm --set 1000 100 10
run ipvstune set 0 60 0
expect_rc 0 "set 0 60 0"
expect_kernel "1000 60 10"

run ipvstune set --tcp 0 --udp 20
expect_rc 0 "--tcp 0 --udp 20"
expect_kernel "1000 60 20"

# The same request through ipvsadm agrees.
ipvsadm --set 0 0 30
expect_kernel "1000 60 30" "ipvsadm --set 0 0 30"
