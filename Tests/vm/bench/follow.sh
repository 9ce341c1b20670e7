# apply --all-netns --follow: mount-to-config times (one namespace at a time, and a burst of 50),
# the time an edit of the config takes to reach 50 namespaces and the host's, the follower's
# CPU time while idle, and its RSS over 1,000 namespaces made and removed (@@FAIL when the
# RSS at the end is more than 1 MiB above the RSS after the first 100).
. /guest/bench/lib.sh
IP=/usr/sbin/ip
printf 'tcp = 7275\nudp = 60\n' > /etc/ipvstune.conf
uptime_cs() { cut -d' ' -f1 /proc/uptime | tr -d .; }
rss() { awk '/^VmRSS:/ { print $2 }' /proc/$1/status; }
# cpu_ms PID: user + system time so far, in ms (USER_HZ 100).
cpu_ms() { awk '{ print ($14 + $15) * 10 }' /proc/$1/stat; }
mkdir -p /run/docker/netns

ipvstune apply --all-netns --follow --json > /tmp/follow.out 2> /tmp/follow.err &
follower=$!
until [ "$(ipvsadm -L --timeout)" = "Timeout (tcp tcpfin udp): 7275 120 60" ]; do usleep 100000; done

echo
echo "apply --all-netns --follow on $(uname -r)"
cpu=$(cpu_ms $follower)
sleep 10
echo "CPU time while idle for 10 s: $(( $(cpu_ms $follower) - cpu )) ms"

# One at a time: made, timed until GET_CONFIG inside shows the config, removed.
nslatency /run/docker/netns 100 7275 > /tmp/lat100 || echo "@@FAIL a namespace took over 10 s"
rss100=$(rss $follower)
echo "mount to config, 100 namespaces one at a time: $(tail -1 /tmp/lat100)"
nslatency /run/docker/netns 900 7275 > /tmp/lat900 || echo "@@FAIL a namespace took over 10 s"
rss1000=$(rss $follower)
sort -n -k2 /tmp/lat100 /tmp/lat900 | grep '^/' | awk '{ v[NR] = $2 } END { printf "mount to config, all 1,000: median %s max %s ms\n", v[int((NR + 1) / 2)], v[NR] }'
echo "RSS after 100 namespaces made and removed: $rss100 KiB; after 1,000: $rss1000 KiB"
[ $((rss1000 - rss100)) -le 1024 ] || echo "@@FAIL the follower's RSS grew by $((rss1000 - rss100)) KiB from 100 to 1,000 namespaces"

# A burst of 50 (as the scenario makes), then all 50 checked by their set events.
start=$(uptime_cs)
( i=1; while [ $i -le 25 ]; do $IP netns add "f$i"; i=$((i + 1)); done ) &
pids=$!
i=1
while [ $i -le 25 ]; do
    ( f=/run/docker/netns/d$i; touch "$f"; usleep $((200000 + (i * 37) % 25 * 32000)); unshare --net="$f" true ) &
    pids="$pids $!"
    i=$((i + 1))
done
for pid in $pids; do wait "$pid"; done
made=$(uptime_cs)
until [ "$(grep '"event":"set"' /tmp/follow.out | grep -c '/run/netns/f\|docker/netns/d')" -ge 50 ]; do
    [ $(( $(uptime_cs) - start )) -le 2000 ] || { echo "@@FAIL the burst was not all set in 20 s"; break; }
    usleep 20000
done
echo "burst of 50 (25 ip netns add, 25 Docker-style 0.2-1 s after the file): made in $(( (made - start) * 10 )) ms, all set $(( ($(uptime_cs) - start) * 10 )) ms after it began"

before=$(grep -c '"after":{"tcp":3600' /tmp/follow.out)
start=$(uptime_cs)
printf 'tcp = 1h\nudp = 60\n' > /etc/ipvstune.conf.new && mv /etc/ipvstune.conf.new /etc/ipvstune.conf
until [ "$(grep -c '"after":{"tcp":3600' /tmp/follow.out)" -ge $((before + 51)) ]; do
    [ $(( $(uptime_cs) - start )) -le 2000 ] || { echo "@@FAIL the edit did not reach 51 namespaces in 20 s"; break; }
    usleep 20000
done
echo "config edit to 51 namespaces (50 and the host's): $(( ($(uptime_cs) - start) * 10 )) ms"
cpu=$(cpu_ms $follower)
sleep 10
echo "CPU time while idle for 10 s with 50 namespaces: $(( $(cpu_ms $follower) - cpu )) ms"
kill -TERM $follower
wait $follower || echo "@@FAIL the follower did not exit 0 on SIGTERM"
i=1
while [ $i -le 25 ]; do $IP netns del "f$i"; umount /run/docker/netns/d$i; rm -f /run/docker/netns/d$i; i=$((i + 1)); done
