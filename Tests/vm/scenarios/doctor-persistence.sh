# persistence: a persistent service whose persistence timeout is shorter than the tcp timeout
# lets a template expire under live connections (then re-armed only 60 s at a time). The fix is
# an ipvsadm -E that keeps the scheduler and netmask, which a bare 'ipvsadm -E -p' would reset.
. /guest/lib.sh
. /guest/doctor.sh
trap 'rm -rf /etc/systemd /lib/systemd' EXIT
fake_enabled_unit
ipvstune set --tcp 900 --save >/dev/null

ipvsadm -A -t 10.1.0.100:80 -s rr -p 60
ipvsadm -A -f 7 -s sh -p 120 -M 255.255.255.0
ipvsadm -A -t 10.1.0.100:443 -s rr -p 3600
run ipvstune doctor
echo "$out"
expect_rc 1 "persistence 60 with tcp 900"
expect_finding warning persistence "persistence 60 < tcp 900"
expect_contains "$out" "TCP 10.1.0.100:80 keeps a client on its real server for 60 s (its persistence timeout), less than the 900 s an idle connection lives (the tcp timeout)" "the reason"
expect_contains "$out" "60 s at a time" "the one-minute grace"
echo "$out" | grep -q "TCP 10.1.0.100:443 keeps" && fail "persistence 3600 is long enough"
fixes=$(echo "$out" | sed -n 's/^ *fix: \(ipvsadm .*\)/\1/p')
expect_eq "$(echo "$fixes" | sort)" "ipvsadm -E -f 7 -s sh -p 900 -M 255.255.255.0
ipvsadm -E -t 10.1.0.100:80 -s rr -p 900" "one ipvsadm fix per service"
echo "$fixes" | while read -r fix; do $fix || fail "running $fix"; done
ipvsadm -Ln
expect_eq "$(ipvsadm -Ln | grep -c 'persistent 900')" 2 "both services persistent 900 (ipvsadm)"
ipvsadm -Ln | grep -q '^TCP  10.1.0.100:80 rr persistent 900$' || fail "scheduler rr kept"
ipvsadm -Ln | grep -q '^FWM  7 sh persistent 900 mask 255.255.255.0$' || fail "scheduler sh and netmask kept"
run ipvstune doctor
expect_finding ok persistence "after the ipvsadm fixes"
expect_contains "$out" "3 persistent services: every persistence timeout is at least" "the ok line"
expect_eq "$(echo "$out" | grep '^warning' | awk '{ print $2 }')" "tcp-keepalive" "only tcp 900 itself is left"

# Fixing the tcp timeout makes the same services too short again; their new fixes end it.
run sh -c "$(echo "$out" | sed -n 's/^ *fix: \(ipvstune set .*\)/\1/p')"
expect_kernel "7275 120 300" "tcp fixed"
run ipvstune doctor
expect_rc 1 "persistence 900 with tcp 7275"
expect_eq "$(echo "$out" | grep '^warning' | awk '{ print $2 }' | sort -u)" "persistence" "only persistence is left"
fixes=$(echo "$out" | sed -n 's/^ *fix: \(ipvsadm .*\)/\1/p')
expect_eq "$(echo "$fixes" | sort)" "ipvsadm -E -f 7 -s sh -p 7275 -M 255.255.255.0
ipvsadm -E -t 10.1.0.100:443 -s rr -p 7275
ipvsadm -E -t 10.1.0.100:80 -s rr -p 7275" "the new fixes"
echo "$fixes" | while read -r fix; do $fix || fail "running $fix"; done
run ipvstune doctor
expect_rc 0 "persistence and tcp both right"

# A UDP service is held against the udp timeout.
ipvsadm -C
ipvsadm -A -u 10.1.0.100:53 -s rr -p 30
run ipvstune doctor
expect_contains "$out" "UDP 10.1.0.100:53 keeps a client on its real server for 30 s (its persistence timeout), less than the 300 s an idle connection lives (the udp timeout)" "udp service"
expect_contains "$out" "fix: ipvsadm -E -u 10.1.0.100:53 -s rr -p 300" "udp fix"

# Why the fixes repeat -s and -M: a bare 'ipvsadm -E -p' resets the scheduler to wlc and drops the netmask.
ipvsadm -C
ipvsadm -A -t 10.1.0.100:80 -s rr -p 60 -M 255.255.255.0
ipvsadm -E -t 10.1.0.100:80 -p 900
ipvsadm -Ln | grep -q '^TCP  10.1.0.100:80 wlc persistent 900$' || fail "ipvsadm -E no longer resets the scheduler and netmask: $(ipvsadm -Ln)"
