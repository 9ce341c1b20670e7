# ipvstune doctor on a fresh director: the default tcp timeout, no config and no boot unit are
# warnings (exit 1); once each is fixed with the command doctor prints, every check is ok (exit 0).
. /guest/lib.sh
. /guest/doctor.sh
trap 'rm -rf /etc/systemd /lib/systemd' EXIT
# Linux 7.x has one check more, conn-max (the connection table's cap, net.ipv4.vs.conn_max,
# which older kernels do not have): one more ok line there.
if linux7; then more=1; extra=conn-max; else more=0; extra=; fi

run ipvstune doctor
echo "$out"
expect_rc 1 "doctor on a fresh director"
expect_finding warning tcp-keepalive "900 s is below the keepalive time 7200 s"
expect_finding warning config "no config"
expect_finding warning boot-unit "no unit"
for id in tcpfin-timeout udp-timeout persistence keepalived kube-proxy netns-defaults $extra; do
    expect_finding ok "$id" "$id on a fresh director"
done
expect_contains "$out" "tcp timeout 900 s (15m) is not above the TCP keepalive time 7200 s (2h)" "tcp-keepalive reason"
fix=$(fix_of tcp-keepalive)
expect_eq "$fix" "ipvstune set --tcp 7275 --save" "tcp-keepalive fix"
expect_eq "$(fix_of config)" "ipvstune save" "config fix"
expect_eq "$(echo "$out" | tail -n 1)" "summary: 0 errors, 3 warnings, 0 info, $((6 + more)) ok" "summary line"

run ipvstune doctor --json
expect_rc 1 "doctor --json"
expect_contains "$out" '{"severity":"warning","id":"tcp-keepalive","namespace":"host","message":"tcp timeout 900 s (15m) is not above' "JSON finding"
expect_contains "$out" '"fixes":["ipvstune set --tcp 7275 --save"]' "JSON fixes"
expect_contains "$out" '"summary":{"error":0,"warning":3,"info":0,"ok":'$((6 + more))'},"status":1}' "JSON summary"

# The fix tcp-keepalive names also writes the config, which answers the config finding too.
run sh -c "$fix"
expect_rc 0 "the tcp-keepalive fix"
expect_kernel "7275 120 300" "after the fix"
# The unit as 'systemctl enable' leaves it; the guest has no systemd.
mkdir -p /lib/systemd/system /etc/systemd/system/multi-user.target.wants
printf '[Service]\nType=oneshot\nExecStart=/usr/sbin/ipvstune apply\n' > /lib/systemd/system/ipvstune.service
ln -s /lib/systemd/system/ipvstune.service /etc/systemd/system/multi-user.target.wants/ipvstune.service

run ipvstune doctor
echo "$out"
expect_rc 0 "doctor with nothing wrong"
expect_eq "$(echo "$out" | grep -c '^ok ')" $((9 + more)) "every check ok"
expect_eq "$(echo "$out" | tail -n 1)" "summary: 0 errors, 0 warnings, 0 info, $((9 + more)) ok" "summary with nothing wrong"
run ipvstune doctor --json
expect_rc 0 "doctor --json with nothing wrong"
expect_contains "$out" '"status":0}' "JSON status 0"

# Usage errors before anything is read; and reading IPVS needs root, as for every command.
run ipvstune doctor --all-netns --netns blue
expect_rc 64 "--all-netns with --netns"
expect_one_line_error "--all-netns with --netns"
run ipvstune doctor --keepalived-conf /nonexistent/keepalived.conf
expect_rc 66 "a missing --keepalived-conf"
expect_one_line_error "a missing --keepalived-conf"
run_as_op ipvstune doctor
expect_rc 77 "doctor as non-root"
expect_one_line_error "doctor as non-root"
