# doctor --all-netns runs the per-namespace checks in the host and every namespace, and groups
# the findings under each; --netns checks one namespace.
. /guest/lib.sh
. /guest/doctor.sh
trap 'rm -rf /etc/systemd /lib/systemd' EXIT
fake_enabled_unit
ipvstune set --tcp 7275 --save >/dev/null

new_netns blue
new_netns green
in_netns blue ipvsadm --set 7275 10 300
in_netns blue ipvsadm -A -t 10.9.9.9:80 -s rr -p 60
run ipvstune doctor --all-netns
echo "$out"
expect_rc 1 "blue has problems"
expect_eq "$(echo "$out" | grep '^\[')" "[host]
[/run/netns/blue]
[/run/netns/green]
[system]" "one group per namespace, then the system"
blue=$(echo "$out" | sed -n '/^\[\/run\/netns\/blue\]/,/^$/p')
echo "$blue" | grep -Eq '^warning +tcpfin-timeout ' || fail "tcpfin warning in blue: $blue"
echo "$blue" | grep -Eq '^info +persistence ' || fail "persistence note in blue: $blue"
expect_contains "$blue" "fix: ipvstune set --netns /run/netns/blue --tcpfin 120" "blue's fix names blue"
green=$(echo "$out" | sed -n '/^\[\/run\/netns\/green\]/,/^$/p')
expect_contains "$green" "no IPVS services here" "green is not judged"
run ipvstune doctor --all-netns --json
expect_contains "$out" '{"severity":"warning","id":"tcpfin-timeout","namespace":"/run/netns/blue",' "JSON names the namespace"

run ipvstune set --netns /run/netns/blue --tcpfin 120
in_netns blue ipvsadm -E -t 10.9.9.9:80 -s rr -p 7275
run ipvstune doctor --all-netns
expect_rc 0 "after fixing blue"

# --netns checks one namespace; its fixes name it.
run ipvstune doctor --netns green
echo "$out"
expect_rc 1 "green on the defaults"
expect_eq "$(fix_of tcp-keepalive)" "ipvstune set --netns /run/netns/green --tcp 7275" "green's fix"
expect_finding warning config "green differs from the config"
expect_eq "$(fix_of config)" "ipvstune apply --netns /run/netns/green" "green's config fix"
run sh -c "$(fix_of config)"
run ipvstune doctor --netns green
expect_rc 0 "green after apply --netns"
run ipvstune doctor --netns nosuch
expect_rc 66 "a missing namespace"
expect_one_line_error "a missing namespace"
