# apply --all-netns --follow: with the follower running, 50 namespaces made in a burst (25 by
# `ip netns add`, 25 Docker-style: the file first, the namespace mounted on it 0.2-1 s later, in
# /run/docker/netns, a folder that did not exist when the follower started), and one removed
# and made again at once at the same path: all hold the config (ipvsadm in each), within 10 s
# of the burst's start. Then mount-to-config times one by one, a config edit reaching every
# namespace (10 s at most), a broken edit that changes nothing and says why, the namespaces'
# `gone` events, and exit 0 on SIGTERM.
. /guest/lib.sh
IP=/usr/sbin/ip
want="Timeout (tcp tcpfin udp): 7275 120 60"
printf 'tcp = 7275\nudp = 60\n' > /etc/ipvstune.conf
rm -rf /run/docker
uptime_cs() { cut -d' ' -f1 /proc/uptime | tr -d .; }
# set_events PREFIX: how many namespaces whose path starts with PREFIX the follower has set.
set_events() { grep '"event":"set"' /tmp/follow.out | grep -o "\"netns\":\"$1[^\"]*\"" | sort -u | wc -l; }

# The host as ipvstune.service leaves it at boot; the follower's start leaves the host alone.
ipvsadm --set 900 120 300
ipvstune apply > /dev/null || fail "apply"
ipvsadm --set 1000 120 300
$IP netns add ready || fail "ip netns add ready"
ipvstune apply --all-netns --follow --json > /tmp/follow.out 2> /tmp/follow.err &
follower=$!
wait_until '[ "$(set_events /run/netns/ready)" = 1 ]' \
    'the follower did not apply to a namespace at start within 10 s: $(cat /tmp/follow.err)'
expect_kernel "1000 120 300" "the follower's start left the host alone"
ipvsadm --set 7275 120 60
$IP netns del ready

start=$(uptime_cs)
( i=1; while [ $i -le 25 ]; do $IP netns add "f$i" || echo "ip netns add f$i failed"; i=$((i + 1)); done ) > /tmp/adder.out 2>&1 &
pids=$!
mkdir -p /run/docker/netns
i=1
while [ $i -le 25 ]; do
    ( f=/run/docker/netns/d$i; touch "$f"; usleep $((200000 + (i * 37) % 25 * 32000)); unshare --net="$f" true || echo "unshare d$i failed" ) >> /tmp/adder.out 2>&1 &
    pids="$pids $!"
    i=$((i + 1))
done
for pid in $pids; do wait "$pid"; done
# Removed and made again at once: the new namespace may reuse the old one's inode and mount ID.
$IP netns del f3 && $IP netns add f3 || fail "making f3 again failed"
[ -s /tmp/adder.out ] && fail "the burst: $(cat /tmp/adder.out)"
echo "the burst took $(( ($(uptime_cs) - start) * 10 )) ms"
while [ "$(set_events /run/netns/f)" -lt 25 ] || [ "$(set_events /var/run/docker/netns/d)" -lt 25 ] \
    || [ "$($IP netns exec f3 ipvsadm -L --timeout)" != "$want" ]; do
    [ $(( $(uptime_cs) - start )) -le 1000 ] || fail "not every namespace had the config 10 s after the burst began: $(set_events /run/netns/f) of 25 ip netns, $(set_events /var/run/docker/netns/d) of 25 Docker-style; $(cat /tmp/follow.err)"
    usleep 100000
done
echo "all 50 set $(( ($(uptime_cs) - start) * 10 )) ms after the burst began"
i=1
while [ $i -le 25 ]; do
    expect_eq "$($IP netns exec "f$i" ipvsadm -L --timeout)" "$want" "f$i by ipvsadm"
    expect_eq "$(nsenter --net=/run/docker/netns/d$i ipvsadm -L --timeout)" "$want" "d$i by ipvsadm"
    i=$((i + 1))
done
expect_contains "$(grep -m1 '"netns":"/run/netns/f1"' /tmp/follow.out)" '"before":{"tcp":900,"tcpfin":120,"udp":300},"after":{"tcp":7275,"tcpfin":120,"udp":60}' "a set event"

# From mount to config, one namespace at a time (nslatency fails past 10 s).
nslatency /run/docker/netns 10 7275 || fail "a namespace took over 10 s (or never got the config)"

# An edit reaches every namespace: 50 and the host's.
before=$(grep -c '"after":{"tcp":3600' /tmp/follow.out)
start=$(uptime_cs)
printf 'tcp = 1h\nudp = 60\n' > /etc/ipvstune.conf.new && mv /etc/ipvstune.conf.new /etc/ipvstune.conf
while [ "$(grep -c '"after":{"tcp":3600' /tmp/follow.out)" -lt $((before + 51)) ]; do
    [ $(( $(uptime_cs) - start )) -le 1000 ] || fail "the edit reached $(grep -c '"after":{"tcp":3600' /tmp/follow.out) of 51 namespaces in 10 s"
    usleep 100000
done
echo "the edit reached all 51 namespaces in $(( ($(uptime_cs) - start) * 10 )) ms"
expect_kernel "3600 120 60" "host after the edit"
expect_eq "$(nsenter --net=/run/docker/netns/d7 ipvsadm -L --timeout)" "Timeout (tcp tcpfin udp): 3600 120 60" "d7 after the edit"

# A broken edit: said on stderr and as a config-error event; the last good settings stay.
printf 'tcp = banana\n' > /etc/ipvstune.conf
wait_until 'grep -q "\"event\":\"config-error\"" /tmp/follow.out' \
    'no config-error event for a broken edit'
expect_contains "$(cat /tmp/follow.err)" "ipvstune: /etc/ipvstune.conf:1: " "the broken edit on stderr"
expect_contains "$(cat /tmp/follow.err)" "keeping the settings loaded before" "the broken edit on stderr"
$IP netns add late || fail "ip netns add late"
wait_until '[ "$($IP netns exec late ipvsadm -L --timeout)" = "Timeout (tcp tcpfin udp): 3600 120 60" ]' \
    'a namespace made after the broken edit did not get the last good settings'
expect_kernel "3600 120 60" "host after the broken edit"
# SIGHUP reads the config again: fixed meanwhile, it applies.
printf 'tcp = 2h\n' > /etc/ipvstune.conf.new && mv /etc/ipvstune.conf.new /etc/ipvstune.conf
wait_until '[ "$(kernel_timeouts)" = "7200 120 60" ]' \
    'the fixed config was not applied'

# Gone: each namespace that goes is one event, then forgotten.
i=1
while [ $i -le 25 ]; do $IP netns del "f$i"; umount /run/docker/netns/d$i; rm -f /run/docker/netns/d$i; i=$((i + 1)); done
wait_until '[ "$(grep -c "\"event\":\"gone\"" /tmp/follow.out)" -ge 50 ]' \
    '$(grep -c "\"event\":\"gone\"" /tmp/follow.out) gone events for 50 namespaces'
kill -TERM $follower
wait $follower
rc=$?
[ "$rc" = 0 ] || fail "the follower ended with $rc on SIGTERM: $(cat /tmp/follow.err)"
$IP netns del late
