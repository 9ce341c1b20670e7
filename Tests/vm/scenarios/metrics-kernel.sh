# ipvstune metrics on real entries made by real traffic through an LVS-NAT director (a
# persistent TCP service, UDP, IPv6, a firewall-mark service), and in named namespaces with
# services of their own: the values against ipvsadm, the config's drift where apply covers,
# the label cap, and every mode's output handed to promtool check metrics on the host.
. /guest/lib.sh
. /guest/topology.sh
. /guest/metrics.sh
trap "stop_background; rm -f /etc/ipvstune-broken.conf" EXIT
lvs_nat_topology
start_servers

ipvsadm -A -t 10.1.0.100:80 -s rr -p 300
ipvsadm -a -t 10.1.0.100:80 -r 10.2.0.2:8080 -m
ipvsadm -A -u 10.1.0.100:53 -s rr
ipvsadm -a -u 10.1.0.100:53 -r 10.2.0.2:5353 -m
ipvsadm -A -t [fd01::100]:80 -s rr
ipvsadm -a -t [fd01::100]:80 -r [fd02::2]:8080 -m
ipvsadm -A -f 7 -s rr -p 120
ipvsadm -a -f 7 -r 10.2.0.2:8080 -m
ipvstune set --tcp 3600 >/dev/null || fail "set"

in_netns client tcpgen connect 10.1.0.100 80 3 -k 120 & bg_pids="$bg_pids $!"
in_netns client tcpgen connect fd01::100 80 2 -k 120 & bg_pids="$bg_pids $!"
in_netns client tcpgen connect 10.1.0.100 80 2 -c || fail "TCP connections through the VIP failed"
in_netns client tcpgen udp 10.1.0.100 53 2 || fail "UDP through the VIP failed"
tcpgen connect 10.1.0.100 443 1 -m 7 -k 120 & bg_pids="$bg_pids $!"
sleep 3

# Two namespaces with a service each: blue is the config's (netns =), green is not.
new_netns blue
new_netns green
in_netns blue ipvsadm -A -t 10.9.0.1:80 -s rr
in_netns green ipvsadm -A -u 10.9.0.2:53 -s rr
in_netns blue ipvstune set --tcp 1800 >/dev/null
printf 'tcp = 1h\nudp = 300\nnetns = /run/netns/blue\n' > /etc/ipvstune.conf
chmod 600 /etc/ipvstune.conf

run ipvstune metrics
expect_rc 0 "metrics"
printf '%s\n' "$out" > /tmp/host.prom
exposition host /tmp/host.prom
cat /tmp/host.prom

# The timeouts as ipvsadm reads them.
set -- $(kernel_timeouts)
expect_sample /tmp/host.prom 'ipvstune_timeout_seconds{netns="host",timeout="tcp"}' "$1"
expect_sample /tmp/host.prom 'ipvstune_timeout_seconds{netns="host",timeout="tcpfin"}' "$2"
expect_sample /tmp/host.prom 'ipvstune_timeout_seconds{netns="host",timeout="udp"}' "$3"
expect_sample /tmp/host.prom 'ipvstune_tcp_keepalive_time_seconds{netns="host"}' "$(cat /proc/sys/net/ipv4/tcp_keepalive_time)"
expect_sample /tmp/host.prom 'ipvstune_config_match{netns="host"}' 1 "the host holds the config"
expect_sample /tmp/host.prom 'ipvstune_config_timeout_seconds{netns="host",timeout="tcp"}' 3600
expect_sample /tmp/host.prom 'ipvstune_services{netns="host"}' 4
expect_sample /tmp/host.prom 'ipvstune_service_persistence_timeout_seconds{netns="host",virtual="10.1.0.100:80",proto="TCP"}' 300
expect_sample /tmp/host.prom 'ipvstune_service_persistence_timeout_seconds{netns="host",virtual="fwmark:7",proto="FWM"}' 120

# Entries by virtual service, protocol and state, and templates, against ipvsadm -Lnc.
ipvsadm -Lnc | awk 'NR > 2 { split($5, v, ":"); print $1, $3, $5, $4 }' > /tmp/ipvsadm.rows
echo "ipvsadm -Lnc:"; ipvsadm -Lnc
ref() { awk -v p="$1" -v s="$2" -v v="$3" '$1 == p && $2 == s && $3 == v && $4 !~ /:0$/' /tmp/ipvsadm.rows | wc -l; }
reft() { awk -v p="$1" -v v="$2" '$1 == p && $3 == v && $4 ~ /:0$/' /tmp/ipvsadm.rows | wc -l; }
expect_sample /tmp/host.prom 'ipvstune_entries{netns="host",virtual="10.1.0.100:80",proto="TCP",state="ESTABLISHED"}' "$(ref TCP ESTABLISHED 10.1.0.100:80)"
expect_sample /tmp/host.prom 'ipvstune_entries{netns="host",virtual="10.1.0.100:80",proto="TCP",state="TIME_WAIT"}' "$(ref TCP TIME_WAIT 10.1.0.100:80)"
expect_sample /tmp/host.prom 'ipvstune_entries{netns="host",virtual="10.1.0.100:53",proto="UDP",state="UDP"}' "$(ref UDP UDP 10.1.0.100:53)"
expect_sample /tmp/host.prom 'ipvstune_entries{netns="host",virtual="[fd01::100]:80",proto="TCP",state="ESTABLISHED"}' "$(ref TCP ESTABLISHED '[fd01::100]:80')"
expect_sample /tmp/host.prom 'ipvstune_templates{netns="host",virtual="10.1.0.100:80",proto="TCP"}' "$(reft TCP 10.1.0.100:80)"
expect_sample /tmp/host.prom 'ipvstune_templates{netns="host",virtual="fwmark:7",proto="IP"}' 1
established=$(awk '$1 == "TCP" && $2 == "ESTABLISHED" && $4 !~ /:0$/' /tmp/ipvsadm.rows | wc -l)
[ "$established" -ge 6 ] || fail "expected at least 6 ESTABLISHED connections, ipvsadm shows $established"
expect_sample /tmp/host.prom 'ipvstune_established_expiry_seconds_count{netns="host"}' "$established"
expect_sample /tmp/host.prom 'ipvstune_established_expiry_seconds_bucket{netns="host",le="+Inf"}' "$established"
expect_sample /tmp/host.prom 'ipvstune_established_expiry_seconds_bucket{netns="host",le="3600"}' "$established" "all below tcp 3600"
expect_sample /tmp/host.prom 'ipvstune_established_expiry_seconds_bucket{netns="host",le="1800"}' 0 "none below 1800 s after 3 s"
expect_sample /tmp/host.prom 'ipvstune_scrape_errors' 0

# Every namespace: drift in blue (the config's), none reported for green (not the config's).
run ipvstune metrics --all-netns
expect_rc 0 "metrics --all-netns"
printf '%s\n' "$out" > /tmp/all.prom
exposition all-netns /tmp/all.prom
expect_sample /tmp/all.prom 'ipvstune_timeout_seconds{netns="/run/netns/blue",timeout="tcp"}' 1800
expect_sample /tmp/all.prom 'ipvstune_config_match{netns="/run/netns/blue"}' 0 "blue drifted"
expect_sample /tmp/all.prom 'ipvstune_config_match{netns="/run/netns/green"}' "" "green is not the config's"
expect_sample /tmp/all.prom 'ipvstune_timeout_seconds{netns="/run/netns/green",timeout="udp"}' 300
expect_sample /tmp/all.prom 'ipvstune_services{netns="/run/netns/green"}' 1
expect_sample /tmp/all.prom 'ipvstune_scrape_namespaces' "$(ls /run/netns | wc -l | awk '{print $1 + 1}')"

# --netns: labelled by the name given, and the config applies there as apply --netns would.
run ipvstune metrics --netns blue
expect_rc 0 "metrics --netns blue"
printf '%s\n' "$out" > /tmp/blue.prom
exposition netns /tmp/blue.prom
expect_sample /tmp/blue.prom 'ipvstune_config_match{netns="blue"}' 0
expect_sample /tmp/blue.prom 'ipvstune_services{netns="blue"}' 1

# The cap: one virtual service labelled, the busiest (the persistent one), the rest summed.
run ipvstune metrics --max-virtual 1
expect_rc 0 "metrics --max-virtual 1"
printf '%s\n' "$out" > /tmp/capped.prom
exposition max-virtual /tmp/capped.prom
virtuals=$(grep '^ipvstune_entries{' /tmp/capped.prom | sed 's/.*virtual="\([^"]*\)".*/\1/' | sort -u | tr '\n' ' ')
expect_eq "$virtuals" "10.1.0.100:80 other " "labelled virtual services under --max-virtual 1"
other=$(awk '$1 ~ /^ipvstune_entries\{netns="host",virtual="other"/ { n += $2 } END { print n + 0 }' /tmp/capped.prom)
all=$(awk '$1 ~ /^ipvstune_entries\{netns="host"/ && $1 !~ /virtual="10\.1\.0\.100:80"/ { n += $2 } END { print n + 0 }' /tmp/host.prom)
expect_eq "$other" "$all" "other sums the rest"

# No config at all, and a broken one: values, not failures.
run ipvstune metrics --config /etc/ipvstune-none.conf
expect_rc 0 "metrics without a config"
printf '%s\n' "$out" > /tmp/noconfig.prom
expect_sample /tmp/noconfig.prom 'ipvstune_config_files' 0
printf 'tcp = soon\n' > /etc/ipvstune-broken.conf
chmod 600 /etc/ipvstune-broken.conf
run ipvstune metrics --config /etc/ipvstune-broken.conf
expect_rc 0 "metrics with a broken config"
printf '%s\n' "$out" > /tmp/broken.prom
exposition broken-config /tmp/broken.prom
expect_sample /tmp/broken.prom 'ipvstune_config_valid' 0
