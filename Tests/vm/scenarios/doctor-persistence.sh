# persistence: a persistence timeout shorter than the idle timeout is explained as a note (the
# kernel's 60 s grace keeps the client while its connections live), with no fix that equalizes
# the two. One-packet UDP, which has no connection entries to hold the template, is a warning
# whose ipvsadm -E fix keeps the scheduler, netmask and -o (a bare 'ipvsadm -E -p' resets them).
. /guest/lib.sh
. /guest/doctor.sh
trap 'rm -rf /etc/systemd /lib/systemd' EXIT
fake_enabled_unit
ipvstune set --tcp 7275 --save >/dev/null

ipvsadm -A -t 10.1.0.100:80 -s rr -p 60
ipvsadm -A -f 7 -s sh -p 120 -M 255.255.255.0
ipvsadm -A -t 10.1.0.100:443 -s rr -p 7275
run ipvstune doctor
echo "$out"
expect_rc 0 "persistence 60 with tcp 7275 is no fault"
expect_finding info persistence "persistence 60 < tcp 7275"
expect_contains "$out" "TCP 10.1.0.100:80 keeps a client on its real server for 60 s after its last new connection (its persistence timeout), less than the 7275 s an idle connection lives (the tcp timeout): that is safe" "the note"
expect_contains "$out" "re-arms the template 60 s at a time" "the one-minute grace"
expect_contains "$out" "need not be equal" "no equalizing"
echo "$out" | grep -q "fix: ipvsadm" && fail "no ipvsadm fix for a grace the kernel gives"
echo "$out" | grep -q "TCP 10.1.0.100:443 keeps" && fail "persistence 7275 is not shorter"

# One-packet UDP: the warning, and its fix run as printed.
ipvsadm -C
ipvsadm -A -u 10.1.0.100:53 -s wlc -p 30 -M 255.255.255.0 -o
ipvsadm -A -u 10.1.0.100:54 -s rr -p 30
run ipvstune doctor
echo "$out"
expect_rc 1 "one-packet UDP with persistence 30"
expect_finding warning persistence "one-packet UDP"
expect_contains "$out" "UDP 10.1.0.100:53 schedules each datagram on its own (one-packet scheduling), so no connection entry holds its templates" "the reason"
expect_contains "$out" "UDP 10.1.0.100:54 keeps a client on its real server for 30 s after its last new connection" "plain UDP is a note"
fix=$(fix_of persistence)
expect_eq "$fix" "ipvsadm -E -u 10.1.0.100:53 -s wlc -p 300 -M 255.255.255.0 -o" "the fix keeps -s, -M and -o"
$fix || fail "running $fix"
ipvsadm -Ln | grep -q '^UDP  10.1.0.100:53 wlc persistent 300 mask 255.255.255.0 ops$' || fail "scheduler, netmask and ops kept: $(ipvsadm -Ln)"
run ipvstune doctor
expect_rc 0 "after the fix"

# Why the fix repeats -s and -M: a bare 'ipvsadm -E -p' resets the scheduler to wlc and drops the netmask.
ipvsadm -C
ipvsadm -A -t 10.1.0.100:80 -s rr -p 60 -M 255.255.255.0
ipvsadm -E -t 10.1.0.100:80 -p 900
ipvsadm -Ln | grep -q '^TCP  10.1.0.100:80 wlc persistent 900$' || fail "ipvsadm -E no longer resets the scheduler and netmask: $(ipvsadm -Ln)"
