# save writes the kernel's values into the config, changing only the values; set --save
# does both; the write is atomic, goes through symlinks, and a failed write changes nothing.
. /guest/lib.sh
ipvsadm --set 7200 120 300

run ipvstune save
expect_rc 0 "save without a file"
expect_contains "$out" "saved tcp 7200, tcpfin 120, udp 300 to /etc/ipvstune.conf" "save output"
run ipvstune show-config --json
expect_contains "$out" '"timeouts":{"tcp":7200,"tcpfin":120,"udp":300}' "saved values read back"
[ "$(stat -c %a /etc/ipvstune.conf)" = 644 ] || fail "a new config should be 0644"

# An operator's file: comments, order, spacing and units survive; only values change.
cat > /etc/ipvstune.conf <<'CONF'
# Director timeouts. Ask the DBA team before lowering tcp.
udp=300

; tcp in hours
tcp   =   1h
CONF
ipvsadm --set 9000 0 60
run ipvstune save
expect_rc 0 "save into an edited file"
expected='# Director timeouts. Ask the DBA team before lowering tcp.
udp=60

; tcp in hours
tcp   =   2h30m
tcpfin = 120'
expect_eq "$(cat /etc/ipvstune.conf)" "$expected" "in-place save"

# Unchanged values: the file is not rewritten.
inode=$(stat -c %i /etc/ipvstune.conf)
run ipvstune save
expect_contains "$out" "not rewritten" "unchanged save"
expect_eq "$(stat -c %i /etc/ipvstune.conf)" "$inode" "unchanged file keeps its inode"

# set --save sets and saves in one step; apply then finds everything in place.
run ipvstune set --tcp 3h --save
expect_rc 0 "set --save"
expect_contains "$out" "tcp 9000 -> 10800" "set --save output"
expect_contains "$(cat /etc/ipvstune.conf)" "tcp   =   3h" "set --save wrote the file"
run ipvstune apply --detailed-exitcode
expect_rc 0 "apply after set --save finds nothing to change"

# A symlinked config is written through to its target; the link stays.
mkdir -p /srv/cfg
mv /etc/ipvstune.conf /srv/cfg/ipvstune.conf
ln -s /srv/cfg/ipvstune.conf /etc/ipvstune.conf
ipvsadm --set 0 0 45
run ipvstune save
expect_rc 0 "save through a symlink"
[ -L /etc/ipvstune.conf ] || fail "the symlink was replaced"
expect_contains "$(cat /srv/cfg/ipvstune.conf)" "udp=45" "target written"

# Read-only file system: a clear error, the old file intact, and set --save puts the kernel back.
mkdir -p /mnt/ro
mount -t tmpfs -o size=64k tmpfs /mnt/ro
printf 'tcp = 7200\n' > /mnt/ro/ipvstune.conf
mount -o remount,ro /mnt/ro
ipvsadm --set 7200 120 300
run ipvstune set --tcp 1h --save --config /mnt/ro/ipvstune.conf
[ "$rc" != 0 ] || fail "set --save onto a read-only file system succeeded"
expect_one_line_error "set --save read-only"
expect_contains "$err" "read-only" "read-only message"
expect_kernel "7200 120 300" "set --save rolled the kernel back"
expect_eq "$(cat /mnt/ro/ipvstune.conf)" "tcp = 7200" "old file intact on a read-only fs"

# A full file system: the same.
mount -o remount,rw /mnt/ro
ipvsadm --set 5000 0 0
awk 'BEGIN { for (i = 0; i < 300; i++) print "# a long comment line that takes room in the small file system" }' > /mnt/ro/ipvstune.conf
echo "tcp = 7200" >> /mnt/ro/ipvstune.conf
cp /mnt/ro/ipvstune.conf /tmp/before.conf
dd if=/dev/zero of=/mnt/ro/filler bs=1k count=1000 2>/dev/null || true
run ipvstune save --config /mnt/ro/ipvstune.conf
[ "$rc" != 0 ] || fail "save onto a full file system succeeded"
expect_one_line_error "save on a full fs"
cmp -s /tmp/before.conf /mnt/ro/ipvstune.conf || fail "the old file changed on a full fs"
[ -z "$(ls -A /mnt/ro | grep -v '^ipvstune.conf$\|^filler$')" ] || fail "a temporary file was left: $(ls -A /mnt/ro)"
umount /mnt/ro

# --netns with save needs a separate file.
new_netns blue
run ipvstune save --netns blue
expect_rc 64 "save --netns without --config"
run ipvstune save --netns blue --config /srv/blue.conf
expect_rc 0 "save --netns with --config"
expect_contains "$(cat /srv/blue.conf)" "tcp = 900" "blue's values saved"
