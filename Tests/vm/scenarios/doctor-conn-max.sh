# doctor's conn-max check. Linux 7.x caps a namespace's connection entries at
# net.ipv4.vs.conn_max and creates no entry beyond it, so a new connection is dropped; idle
# connections hold their entries for the tcp timeout. In a namespace with conn_max 1000:
# ok at 500 entries, a warning at 800, an error when the kernel refuses the 1001st, and ok
# again after the fix doctor prints. Before 7.x there is no conn_max and no cap: doctor
# prints no conn-max line at all (its --help still lists the check).
. /guest/lib.sh
. /guest/doctor.sh
modprobe ip_vs
new_netns lb
lb=/run/netns/lb
in_lb() { in_netns lb sh -c ". /guest/synctable.sh; $*"; }
conn_max=/proc/sys/net/ipv4/vs/conn_max

run ipvstune doctor --help
expect_contains "$out" "conn-max" "doctor --help lists conn-max"

if ! linux7; then
    in_netns lb test -e $conn_max && fail "$conn_max exists on $(uname -r)"
    in_netns lb ipvsadm -A -t 10.0.0.1:80 -s rr
    in_lb fill_table 500 || fail "fill_table 500"
    for args in "" "--netns $lb" "--all-netns"; do
        run ipvstune doctor $args
        case $out in *conn-max*) fail "doctor $args has a conn-max line on $(uname -r): $out" ;; esac
        run ipvstune doctor --json $args
        case $out in *conn-max*) fail "doctor --json $args has conn-max on $(uname -r): $out" ;; esac
    done
    exit 0
fi

# The host's table: far below the default cap of 2^30.
expect_eq "$(cat $conn_max)" 1073741824 "the host's conn_max"
run ipvstune doctor
expect_finding ok conn-max "the host"

in_netns lb sh -c "echo 1000 > $conn_max"
in_netns lb ipvsadm -A -t 10.0.0.1:80 -s rr
in_lb fill_table 500 || fail "fill_table 500"
run ipvstune doctor --netns $lb
expect_finding ok conn-max "500 of 1000"
expect_contains "$out" "500 connection entries, below the 1000 that net.ipv4.vs.conn_max allows" "ok message"

in_lb fill_table 300 || fail "fill_table 300"
run ipvstune doctor --netns $lb
expect_rc 1 "doctor at 80%"
expect_finding warning conn-max "800 of 1000"
expect_contains "$out" "the connection table holds 800 entries, 80% of the 1000 that net.ipv4.vs.conn_max allows" "warning message"
expect_eq "$(fix_of conn-max)" "nsenter --net=$lb sysctl -w net.ipv4.vs.conn_max=1048576" "the fix"

# The cap is real: of 300 more entries the kernel creates 200.
in_lb sync_send 800 300
expect_eq "$(in_lb conn_count)" 1000 "entries at the cap"
run ipvstune doctor --netns $lb --json
expect_rc 1 "doctor --json at the cap"
expect_contains "$out" '{"severity":"error","id":"conn-max","namespace":"'"$lb"'","message":"the connection table is full: 1000 entries' "error in JSON"
run ipvstune doctor --all-netns
expect_finding error conn-max "--all-netns sees the full namespace"

run ipvstune doctor --netns $lb
run sh -c "$(fix_of conn-max)"
expect_rc 0 "the fix"
expect_eq "$(in_netns lb cat $conn_max)" 1048576 "conn_max after the fix"
run ipvstune doctor --netns $lb
expect_finding ok conn-max "after the fix"
in_lb sync_send 1100 100
expect_eq "$(in_lb conn_count)" 1100 "entries after the fix"
