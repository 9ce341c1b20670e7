# --all-netns visits the host and every namespace in /run/netns and /var/run/docker/netns in
# one process, and reports each; apply covers them all, and the config's netns = globs too.
. /guest/lib.sh
new_netns blue
new_netns green
mkdir -p /var/run/docker/netns
touch /var/run/docker/netns/ingress_sbox /var/run/docker/netns/lb_web /var/run/docker/netns/lb_db
unshare --net=/var/run/docker/netns/ingress_sbox true
unshare --net=/var/run/docker/netns/lb_web true
unshare --net=/var/run/docker/netns/lb_db true
# The host's namespace under another name is visited once.
touch /run/netns/hostalias
mount --bind /proc/1/ns/net /run/netns/hostalias

ipvsadm --set 7200 120 300
in_netns blue ipvsadm --set 1000 100 10
in_netns blue ipvsadm -A -t 10.9.9.9:80 -s rr

run ipvstune get --all-netns
expect_rc 0 "get --all-netns"
echo "$out"
expect_eq "$(echo "$out" | grep -c .)" 7 "header, host, blue, green and three docker namespaces"
expect_eq "$(echo "$out" | awk '$1 == "host" { print $2, $3, $4, $5 }')" "7200 120 300 0" "host row"
expect_eq "$(echo "$out" | awk '$1 == "/run/netns/blue" { print $2, $3, $4, $5 }')" "1000 100 10 1" "blue row"
expect_eq "$(echo "$out" | awk '$1 == "/var/run/docker/netns/lb_web" { print $2, $3, $4 }')" "900 120 300" "lb_web row"
echo "$out" | grep -q hostalias && fail "the host's namespace was visited twice"

run ipvstune get --all-netns --json
expect_contains "$out" '{"namespace":"/run/netns/blue","path":"/run/netns/blue","tcp":1000,"tcpfin":100,"udp":10,"services":1,"daemons":[],"error":null}' "JSON row"

# apply --all-netns: every namespace gets the config; the second run changes nothing.
printf 'tcp = 2h\nudp = 60\n' > /etc/ipvstune.conf
run ipvstune apply --all-netns --detailed-exitcode
expect_rc 2 "apply --all-netns"
echo "$out"
expect_contains "$out" "/run/netns/blue: tcp 1000 -> 7200" "blue applied"
expect_contains "$out" "/var/run/docker/netns/lb_db: udp 300 -> 60" "lb_db applied"
for ns in /run/netns/blue /run/netns/green /var/run/docker/netns/ingress_sbox /var/run/docker/netns/lb_web /var/run/docker/netns/lb_db; do
    expect_eq "$(nsenter --net=$ns ipvsadm -L --timeout)" "Timeout (tcp tcpfin udp): 7200 $( [ $ns = /run/netns/blue ] && echo 100 || echo 120) 60" "$ns by ipvsadm"
done
expect_kernel "7200 120 60" "host"
run ipvstune apply --all-netns --detailed-exitcode
expect_rc 0 "second apply --all-netns"

# Without --all-netns, apply covers the host and the config's netns = globs only.
for ns in /run/netns/green /var/run/docker/netns/lb_web /var/run/docker/netns/lb_db; do nsenter --net=$ns ipvsadm --set 900 120 300; done
printf 'tcp = 2h\nudp = 60\nnetns = /var/run/docker/netns/lb_*\n' > /etc/ipvstune.conf
run ipvstune apply
expect_rc 0 "apply with netns = lb_*"
expect_contains "$out" "/var/run/docker/netns/lb_web: tcp 900 -> 7200" "lb_web covered by the glob"
expect_eq "$(in_netns green ipvsadm -L --timeout)" "Timeout (tcp tcpfin udp): 900 120 300" "green not covered"

# A file that is not (yet) a namespace is skipped, as when `ip netns add` or Docker has
# created it but not mounted the namespace yet; named explicitly, it is an error.
touch /run/netns/notyet
run ipvstune apply --all-netns
expect_rc 0 "apply with a file that is not a namespace"
echo "$out" | grep -q notyet && fail "a file that is not a namespace was visited"
expect_eq "$(in_netns green ipvsadm -L --timeout)" "Timeout (tcp tcpfin udp): 7200 120 60" "green applied"
run ipvstune apply --netns notyet
expect_rc 64 "apply --netns on a file that is not a namespace"

run ipvstune get --all-netns --netns blue
expect_rc 64 "--all-netns with --netns"
umount /run/netns/hostalias
for f in /var/run/docker/netns/*; do umount "$f"; rm -f "$f"; done
