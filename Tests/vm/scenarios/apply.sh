# apply sets the kernel to the config, only what differs; --check and --detailed-exitcode
# report without changing; drop-ins override in name order; --netns applies inside one.
. /guest/lib.sh
cat > /etc/ipvstune.conf <<'CONF'
# director timeouts
tcp = 2h
tcpfin = 2m

; udp as the kernel default
udp = 300
CONF

run ipvstune apply --check
expect_rc 0 "apply --check"
expect_contains "$out" "tcp 900 -> 7200 (would change" "apply --check output"
expect_kernel "900 120 300" "--check changes nothing"

run ipvstune apply --check --detailed-exitcode
expect_rc 2 "apply --check --detailed-exitcode with a difference"
expect_kernel "900 120 300" "--check --detailed-exitcode changes nothing"

run ipvstune apply
expect_rc 0 "apply"
expect_eq "$out" "tcp 900 -> 7200" "apply output"
expect_kernel "7200 120 300" "after apply"

run ipvstune apply --detailed-exitcode
expect_rc 0 "apply again, --detailed-exitcode"
expect_contains "$out" "everything in place" "idempotent apply"

run ipvstune apply --quiet
expect_rc 0 "apply --quiet"
expect_eq "$out" "" "--quiet prints nothing"

run ipvstune apply --json
expect_eq "$out" '{"result":"applied","changed":[],"before":{"tcp":7200,"tcpfin":120,"udp":300},"after":{"tcp":7200,"tcpfin":120,"udp":300},"files":["/etc/ipvstune.conf"]}' "apply --json"

# Drop-ins are read after the main file in name order; the last value wins; others ignored.
mkdir -p /etc/ipvstune.d
echo "udp = 60" > /etc/ipvstune.d/50-udp.conf
echo "udp = 30" > /etc/ipvstune.d/70-udp.conf
echo "udp = banana" > /etc/ipvstune.d/80-notes.txt
echo "udp = banana" > /etc/ipvstune.d/90-old.conf.dpkg-old
run ipvstune apply --detailed-exitcode
expect_rc 2 "apply with drop-ins"
expect_eq "$out" "udp 300 -> 30" "drop-in output"
expect_kernel "7200 120 30" "after drop-ins"

# Someone changed the kernel behind our back: apply puts it back.
ipvsadm --set 900 0 0
run ipvstune apply
expect_eq "$out" "tcp 900 -> 7200" "drift repaired"
expect_kernel "7200 120 30" "after repairing drift"

# --netns: the same config, inside a namespace; the host is left alone.
new_netns blue
ipvsadm --set 1000 100 10
run ipvstune apply --netns blue
expect_rc 0 "apply --netns blue"
expect_eq "$(in_netns blue ipvsadm -L --timeout)" "Timeout (tcp tcpfin udp): 7200 120 30" "blue after apply"
expect_kernel "1000 100 10" "host untouched by apply --netns"

# --config names another file, with its own .d folder.
mkdir -p /srv/lb.d
printf 'tcp = 1h\n' > /srv/lb.conf
printf 'tcpfin = 1m\n' > /srv/lb.d/10.conf
chmod 755 /srv
run ipvstune apply --config /srv/lb.conf
expect_rc 0 "apply --config"
expect_kernel "3600 60 10" "after apply --config"

# No config at all is not an error: nothing to do.
rm -rf /etc/ipvstune.conf /etc/ipvstune.d
run ipvstune apply
expect_rc 0 "apply with no config"
expect_contains "$out" "no config" "apply with no config"
expect_kernel "3600 60 10" "no config changes nothing"
