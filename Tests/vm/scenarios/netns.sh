# Timeouts are per network namespace: --netns acts inside one and leaves the others alone.
. /guest/lib.sh
new_netns blue
new_netns green

run ipvstune get --netns blue --json
expect_rc 0 "get --netns blue"
expect_eq "$out" '{"tcp":900,"tcpfin":120,"udp":300}' "a new namespace starts from the defaults"

run ipvstune set --netns blue 7200 0 0
expect_rc 0 "set --netns blue"
expect_eq "$(in_netns blue ipvsadm -L --timeout)" "Timeout (tcp tcpfin udp): 7200 120 300" "blue, by ipvsadm"
expect_kernel "900 120 300" "root namespace untouched"
expect_eq "$(in_netns green ipvsadm -L --timeout)" "Timeout (tcp tcpfin udp): 900 120 300" "green untouched"

# The reverse: the root namespace's change does not reach blue.
run ipvstune set 1000 100 10
expect_kernel "1000 100 10" "root set"
run ipvstune get --netns /run/netns/blue --json
expect_eq "$out" '{"tcp":7200,"tcpfin":120,"udp":300}' "blue by path after the root set"

# A namespace made after the root changed still starts from the defaults.
new_netns red
run ipvstune get --netns red --json
expect_eq "$out" '{"tcp":900,"tcpfin":120,"udp":300}' "a newer namespace starts from the defaults"

run ipvstune get --netns nosuch
expect_rc 66 "missing named namespace"
expect_one_line_error "missing named namespace"
expect_contains "$err" "nosuch" "missing named namespace"

run ipvstune set --netns /nonexistent/ns 7200 0 0
expect_rc 66 "missing namespace path"
expect_kernel "1000 100 10" "a failed --netns set changes nothing"

run ipvstune get --netns /etc/passwd
expect_rc 64 "not a namespace"
expect_one_line_error "not a namespace"
