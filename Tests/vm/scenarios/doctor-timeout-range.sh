# tcpfin-timeout and udp-timeout: a tcpfin timeout below 30 s or above 10 minutes (default 120 s),
# and a udp timeout below 30 s or above an hour (default 300 s), are warnings that say what they
# do to closing connections and UDP flows; the suggested command puts the default back.
. /guest/lib.sh
. /guest/doctor.sh
trap 'rm -rf /etc/systemd /lib/systemd' EXIT
fake_enabled_unit
ipvstune set --tcp 7275 --save >/dev/null

# check ID OPTION VALUE WORDS: set the value (kernel and config), see the warning, run its fix.
check() {
    ipvstune set "$2" "$3" --save >/dev/null || fail "set $2 $3"
    run ipvstune doctor
    echo "$out"
    expect_rc 1 "$1 $3"
    expect_finding warning "$1" "$1 $3"
    expect_eq "$(echo "$out" | grep -c '^warning')" 1 "only $1 is wrong with $2 $3"
    expect_contains "$out" "$4" "$1 $3: the consequence"
    fix=$(fix_of "$1")
    expect_eq "$fix" "ipvstune set $2 $5 --save" "$1 $3: the fix"
    run sh -c "$fix"
    expect_rc 0 "$1 $3: running the fix"
    run ipvstune doctor
    expect_rc 0 "$1 $3: after the fix"
    expect_finding ok "$1" "$1 $3: after the fix"
}
check tcpfin-timeout --tcpfin 10 "is unusually low (the default is 120 s): IPVS forgets a connection 10 s after its first FIN" 120
check tcpfin-timeout --tcpfin 1h "is unusually high (the default is 120 s): closed connections stay in the table" 120
expect_kernel "7275 120 300" "back to the default"

# The edges of the usual range are fine.
ipvstune set --tcpfin 30 --save >/dev/null
run ipvstune doctor
expect_rc 0 "tcpfin 30"
ipvstune set --tcpfin 10m --save >/dev/null
run ipvstune doctor
expect_rc 0 "tcpfin 600"

ipvstune set --tcpfin 120 --save >/dev/null
check udp-timeout --udp 5 "a UDP flow quiet for 5 s is forgotten and its next datagram can be sent to another real server" 300
check udp-timeout --udp 2h "with DNS, where each query comes from a new port, the table grows by one entry per query" 300
expect_kernel "7275 120 300" "back to the default"

# The edges of the usual range are fine.
ipvstune set --udp 30 --save >/dev/null
run ipvstune doctor
expect_rc 0 "udp 30"
ipvstune set --udp 1h --save >/dev/null
run ipvstune doctor
expect_rc 0 "udp 3600"
