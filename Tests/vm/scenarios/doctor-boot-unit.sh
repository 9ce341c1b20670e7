# boot-unit: ipvstune.service must be enabled for the config to be applied at boot. Judged from
# the files alone (the guest has no systemd): the unit in /lib, /usr/lib or /etc/systemd/system and
# its link in a *.target.wants folder, made here by hand as 'systemctl enable' would.
. /guest/lib.sh
. /guest/doctor.sh
trap 'rm -rf /etc/systemd /lib/systemd /usr/lib/systemd' EXIT
ipvstune set --tcp 7275 --save >/dev/null

run ipvstune doctor
echo "$out"
expect_rc 1 "no unit"
expect_finding warning boot-unit "no unit"
expect_contains "$out" "ipvstune.service is not installed" "no unit reason"
expect_eq "$(echo "$out" | grep -c '^warning')" 1 "only the unit is wrong"

mkdir -p /usr/lib/systemd/system
echo '[Unit]' > /usr/lib/systemd/system/ipvstune.service
run ipvstune doctor
expect_rc 1 "unit installed, not enabled"
expect_contains "$out" "ipvstune.service is installed (/usr/lib/systemd/system/ipvstune.service) but not enabled" "disabled reason"
expect_eq "$(fix_of boot-unit)" "systemctl enable ipvstune.service" "disabled fix"

# What systemctl enable does for WantedBy=multi-user.target.
mkdir -p /etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/ipvstune.service /etc/systemd/system/multi-user.target.wants/ipvstune.service
run ipvstune doctor
expect_rc 0 "enabled"
expect_contains "$out" "ipvstune.service is enabled (/etc/systemd/system/multi-user.target.wants/ipvstune.service)" "enabled line"

# Masked: systemd never starts it, whatever the links say.
ln -s /dev/null /etc/systemd/system/ipvstune.service
run ipvstune doctor
expect_rc 1 "masked"
expect_contains "$out" "ipvstune.service is masked" "masked reason"
expect_eq "$(fix_of boot-unit)" "systemctl unmask ipvstune.service && systemctl enable ipvstune.service" "masked fix"
rm /etc/systemd/system/ipvstune.service

# A wants link to a unit that is gone.
rm /usr/lib/systemd/system/ipvstune.service
run ipvstune doctor
expect_rc 1 "dangling link"
expect_contains "$out" "the unit file is nowhere to be found" "dangling reason"
