# config: no config (ipvstune save), a kernel that drifted from the config (ipvstune apply), a
# config apply would refuse (error), and one that sets nothing (a note, not a problem).
. /guest/lib.sh
. /guest/doctor.sh
trap 'rm -rf /etc/systemd /lib/systemd' EXIT
fake_enabled_unit
ipvstune set --tcp 7275 >/dev/null

run ipvstune doctor
echo "$out"
expect_rc 1 "no config"
expect_finding warning config "no config"
expect_contains "$out" "no config: neither /etc/ipvstune.conf nor /etc/ipvstune.d/*.conf exists" "no config reason"
expect_eq "$(echo "$out" | grep -c '^warning')" 1 "only the config is missing"
run sh -c "$(fix_of config)"
expect_rc 0 "ipvstune save"
run ipvstune doctor
expect_rc 0 "after save"
expect_contains "$out" "the kernel holds the config's timeouts: tcp 7275, tcpfin 120, udp 300 (/etc/ipvstune.conf)" "ok line"

# Drift: something changed the kernel behind the config's back.
ipvsadm --set 7300 0 60
run ipvstune doctor
echo "$out"
expect_rc 1 "drift"
expect_finding warning config "drift"
expect_contains "$out" "the kernel differs from the config: tcp is 7300, the config says 7275 (/etc/ipvstune.conf:" "drift reason"
expect_contains "$out" "udp is 60, the config says 300" "drift names udp too"
expect_eq "$(fix_of config)" "ipvstune apply" "drift fix"
run sh -c "$(fix_of config)"
expect_kernel "7275 120 300" "after apply"
run ipvstune doctor
expect_rc 0 "after apply"

# A config apply would refuse is an error: the boot unit would fail and set nothing.
echo "tpc = 1" >> /etc/ipvstune.conf
run ipvstune doctor
echo "$out"
expect_rc 1 "broken config"
expect_finding error config "broken config"
line=$(grep -n '^tpc' /etc/ipvstune.conf | cut -d: -f1)
expect_contains "$out" "the config cannot be applied: /etc/ipvstune.conf:$line: unknown key 'tpc'" "broken config names the line"
expect_contains "$out" "ipvstune show-config" "broken config fix"
sed -i '/^tpc/d' /etc/ipvstune.conf
chmod 666 /etc/ipvstune.conf
run ipvstune doctor
expect_finding error config "a config others can write"
expect_contains "$out" "writable" "insecure config reason"
chmod 644 /etc/ipvstune.conf

# A config that sets nothing is only a note.
printf '# nothing yet\n' > /etc/ipvstune.conf
run ipvstune doctor
expect_rc 0 "empty config"
expect_finding info config "empty config"

# --config: another file, repeated in the fixes.
mkdir -p /srv
chmod 755 /srv
printf 'tcp = 7300\n' > /srv/lb.conf
run ipvstune doctor --config /srv/lb.conf
expect_rc 1 "--config with another value"
expect_eq "$(fix_of config)" "ipvstune apply --config /srv/lb.conf" "fix with --config"
run sh -c "$(fix_of config)"
run ipvstune doctor --config /srv/lb.conf
expect_rc 0 "after apply --config"
rm -f /srv/lb.conf
