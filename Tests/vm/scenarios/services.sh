# ipvstune services against ipvsadm -Ln: every service, scheduler, persistence and real
# server with its counters; and the sync daemons in get against ipvsadm -L --daemon.
. /guest/lib.sh
. /guest/topology.sh
trap stop_background EXIT
lvs_nat_topology
start_servers

ipvsadm -A -t 10.1.0.100:80 -s rr -p 300
ipvsadm -a -t 10.1.0.100:80 -r 10.2.0.2:8080 -m -w 3
ipvsadm -A -u 10.1.0.100:53 -s wlc -o
ipvsadm -a -u 10.1.0.100:53 -r 10.2.0.2:5353 -m
ipvsadm -A -t [fd01::100]:80 -s sh
ipvsadm -a -t [fd01::100]:80 -r [fd02::2]:8080 -m
ipvsadm -A -f 7 -s rr -p 120
ipvsadm -a -f 7 -r 10.2.0.2:0 -m
ipvsadm -A -t 10.1.0.100:8443 -s rr
ipvsadm -a -t 10.1.0.100:8443 -r 10.2.0.3:8443 -g -w 0
ipvsadm -a -t 10.1.0.100:8443 -r 10.2.0.4:8443 -i -w 2

in_netns client tcpgen connect 10.1.0.100 80 3 -k 120 & bg_pids="$bg_pids $!"
in_netns client tcpgen connect 10.1.0.100 80 2 -c
in_netns client tcpgen connect fd01::100 80 1 -k 120 & bg_pids="$bg_pids $!"
sleep 3

echo "ipvsadm -Ln --persistent-conn:"; ipvsadm -Ln --persistent-conn
run ipvstune services
expect_rc 0 "services"
echo "ipvstune services:"; echo "$out"

# One line per real server from each tool:
# "service scheduler persistence server forward weight active inactive persistent".
# ipvsadm -Ln has the forwarding method, --persistent-conn the persistent count.
ipvsadm -Ln | awk '
    /^(TCP|UDP|SCTP|FWM) / { svc = $1 " " $2; sched = $3; pers = ($4 == "persistent") ? $5 : "-"; next }
    /^  -> [0-9\[]/ { print svc, sched, pers, $2, tolower($3), $4, $5, $6 }' | sort > /tmp/ln
ipvsadm -Ln --persistent-conn | awk '
    /^(TCP|UDP|SCTP|FWM) / { svc = $1 " " $2; next }
    /^  -> [0-9\[]/ { print svc, $2, $4 }' | sort > /tmp/pc
awk 'NR == FNR { p[$1 " " $2 " " $3] = $4; next } { print $0, p[$1 " " $2 " " $5] }' /tmp/pc /tmp/ln | sort > /tmp/theirs
ipvstune services --json | tr '{' '\n' | sed 's/[]},]*$//' | awk '
    /"name":/ { match($0, /"name":"[^"]*"/); svc = substr($0, RSTART + 8, RLENGTH - 9)
                match($0, /"scheduler":"[^"]*"/); sched = substr($0, RSTART + 13, RLENGTH - 14)
                pers = "-"; if (match($0, /"persistence_timeout":[0-9]+/)) pers = substr($0, RSTART + 22, RLENGTH - 22) }
    /"forward":/ { n = split($0, f, /[,:"]+/)
                   for (i = 1; i < n; i++) v[f[i]] = f[i + 1]
                   match($0, /"address":"[^"]*"/); a = substr($0, RSTART + 11, RLENGTH - 12)
                   if (a ~ /:/) a = "[" a "]"
                   print svc, sched, pers, a ":" v["port"], v["forward"], v["weight"], v["active"], v["inactive"], v["persistent"] }' \
    | sort > /tmp/ours
expect_eq "$(cat /tmp/ours)" "$(cat /tmp/theirs)" "services, real servers and counters"
grep -q ' route 0 ' /tmp/ours || fail "the direct-routing real server is missing"
grep -q ' tunnel 2 ' /tmp/ours || fail "the tunnel real server is missing"
expect_contains "$out" "TCP 10.1.0.100:80" "services text"

# Sync daemons: none, then a master and a backup, as ipvsadm -L --daemon shows them.
run ipvstune get --json
expect_eq "$out" '{"tcp":900,"tcpfin":120,"udp":300}' "get --json without daemons"
ipvsadm --start-daemon master --mcast-interface c1 --syncid 5
ipvsadm --start-daemon backup --mcast-interface r1 --syncid 6
echo "ipvsadm -L --daemon:"; ipvsadm -L --daemon
run ipvstune get
echo "$out"
expect_contains "$out" "sync    master on c1, syncid 5" "get shows the master"
expect_contains "$out" "sync    backup on r1, syncid 6" "get shows the backup"
run ipvstune get --json
expect_contains "$out" '"daemons":[' "get --json lists daemons"
expect_contains "$out" '"role":"master","interface":"c1","syncid":5' "master in JSON"
expect_contains "$out" '"role":"backup","interface":"r1","syncid":6' "backup in JSON"
ipvsadm -L --daemon | grep -q 'master sync daemon (mcast=c1, syncid=5' || fail "ipvsadm disagrees about the master"
ipvsadm -L --daemon | grep -q 'backup sync daemon (mcast=r1, syncid=6' || fail "ipvsadm disagrees about the backup"
ipvsadm --stop-daemon master
ipvsadm --stop-daemon backup
