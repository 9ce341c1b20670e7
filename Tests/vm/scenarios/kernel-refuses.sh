# The kernel refuses a value above INT_MAX/HZ with EINVAL, checks all three before writing
# any, and our shim returns the kernel's own errno. ipvstune's 31-day bound keeps it from
# sending such values, so the shim is driven directly by a test tool built from it.
. /guest/lib.sh
ipvsadm --set 1000 100 10
hz_limit=$(( 2147483647 / 250 ))

run cipvs-setconfig $((hz_limit + 1)) 0 60
expect_rc 22 "set tcp above INT_MAX/HZ"
expect_kernel "1000 100 10" "a refused set changes nothing"

run cipvs-setconfig 60 60 $((hz_limit + 1))
expect_rc 22 "set udp above INT_MAX/HZ"
expect_kernel "1000 100 10" "a refused set changes nothing, not even the valid values"

run cipvs-setconfig $hz_limit 0 0
expect_rc 0 "set tcp to INT_MAX/HZ exactly"
expect_kernel "$hz_limit 100 10"

# ipvsadm agrees on what the kernel refuses.
ipvsadm --set $((hz_limit + 1)) 0 0 2>/dev/null && fail "ipvsadm was allowed above INT_MAX/HZ"
expect_kernel "$hz_limit 100 10" "after ipvsadm's refused set"
