# Config security as sshd's StrictModes: a config under a folder that a user other than root
# can write, at any depth up to /, or reached through a symlink to such a place, is refused
# with exit 78, naming the folder and the fix, and nothing changes (ipvsadm the reference).
# One under root's sticky /tmp is accepted. The follower refuses such a config at start, and
# an edit made while /etc is writable keeps the last good settings.
. /guest/lib.sh
printf 'tcp = 2h\nudp = 60\n' > /etc/ipvstune.conf
restore() { chmod 0755 /etc; }
trap restore EXIT

chmod 0777 /etc
run ipvstune apply
expect_rc 78 "main file under a world-writable /etc"
expect_one_line_error "world-writable /etc"
expect_contains "$err" "/etc: is writable by group and others (mode 0777)" "names the folder"
expect_contains "$err" "run 'chmod go-w /etc'" "says the fix"
expect_kernel "900 120 300" "nothing applied under a world-writable /etc"
run ipvstune apply --all-netns --follow
expect_rc 78 "the follower refuses it at start"
expect_kernel "900 120 300" "the follower applied nothing"
restore

# Drop-ins alone, no main file.
rm /etc/ipvstune.conf
mkdir -p /etc/ipvstune.d
printf 'tcp = 3h\n' > /etc/ipvstune.d/a.conf
chmod 0757 /etc
run ipvstune apply
expect_rc 78 "a drop-in alone under a world-writable /etc"
expect_contains "$err" "/etc: is writable by others (mode 0757)" "names /etc"
expect_kernel "900 120 300" "nothing applied from the drop-in"
restore
rm -r /etc/ipvstune.d

# A writable middle folder of a --config path.
mkdir -p /srv/a/b
printf 'tcp = 4h\n' > /srv/a/b/ipvstune.conf
chmod 0777 /srv/a
run ipvstune apply --config /srv/a/b/ipvstune.conf
expect_rc 78 "a writable middle folder of --config"
expect_contains "$err" "/srv/a: is writable by group and others (mode 0777)" "names the middle folder"
expect_kernel "900 120 300" "nothing applied from under /srv/a"

# A writable folder reached through a symlink: /etc/ipvstune-site -> /srv/a/b.
ln -s /srv/a/b /etc/ipvstune-site
run ipvstune apply --config /etc/ipvstune-site/ipvstune.conf
expect_rc 78 "a writable folder reached through a symlink"
expect_contains "$err" "/srv/a: holds /etc/ipvstune-site through a symlink, and is writable by group and others (mode 0777)" "names the folder behind the link"
expect_kernel "900 120 300" "nothing applied through the symlink"
chmod 0755 /srv/a
run ipvstune apply --config /etc/ipvstune-site/ipvstune.conf
expect_rc 0 "the same config once /srv/a is root's alone"
expect_kernel "14400 120 300" "applied once safe"
rm /etc/ipvstune-site

# Root's sticky /tmp: nobody else can rename or replace root's file there.
ls -ld /tmp | grep -q '^drwxrwxrwt' || fail "the guest's /tmp is not sticky: $(ls -ld /tmp)"
printf 'tcp = 5h\n' > /tmp/ipvstune.conf
run ipvstune apply --config /tmp/ipvstune.conf
expect_rc 0 "a config in root's sticky /tmp"
expect_kernel "18000 120 300" "applied from /tmp"

# The follower, running: an edit while /etc is writable is refused, the last good stays.
ipvsadm --set 900 120 300
printf 'tcp = 2h\n' > /etc/ipvstune.conf
ipvstune apply > /dev/null || fail "apply"  # the host, as ipvstune.service at boot
/usr/sbin/ip netns add ready || fail "ip netns add ready"
ipvstune apply --all-netns --follow > /tmp/follow.out 2> /tmp/follow.err &
follower=$!
wait_until '[ "$(/usr/sbin/ip netns exec ready ipvsadm -L --timeout)" = "Timeout (tcp tcpfin udp): 7200 120 300" ]' \
    'the follower did not apply: $(cat /tmp/follow.err)'
chmod 0777 /etc
printf 'tcp = 1h\n' > /etc/ipvstune.conf
wait_until 'grep -q "keeping the settings loaded before" /tmp/follow.err' \
    'no refusal for an edit under a writable /etc: $(cat /tmp/follow.err)'
expect_contains "$(cat /tmp/follow.err)" "/etc: is writable by group and others" "the follower names /etc"
expect_kernel "7200 120 300" "the follower kept the last good settings"
restore
kill -TERM $follower
wait $follower || fail "the follower did not exit 0 on SIGTERM"
rm -rf /srv/a /tmp/ipvstune.conf
/usr/sbin/ip netns del ready
