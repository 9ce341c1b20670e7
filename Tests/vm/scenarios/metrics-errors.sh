# metrics' failures: a textfile folder that does not exist, is read-only or not writable by
# the user, and IPVS that cannot be read, each one line on stderr with its exit status and
# the old file kept; namespaces vanishing while --all-netns walks them are left out and
# counted in ipvstune_scrape_errors.
. /guest/lib.sh
. /guest/metrics.sh
trap 'umount /tmp/ro 2>/dev/null; wait' EXIT
dir=/tmp/textfile
mkdir -p "$dir"
chmod 755 "$dir"
ipvstune metrics --textfile "$dir/ipvstune.prom" || fail "the first write"
cp "$dir/ipvstune.prom" /tmp/old.prom

run ipvstune metrics --textfile /tmp/missing/ipvstune.prom
expect_rc 71 "a missing folder"
expect_one_line_error "a missing folder"
expect_contains "$err" "ipvstune: cannot write /tmp/missing/ipvstune.prom: the folder /tmp/missing does not exist" "a missing folder"
[ ! -e /tmp/missing ] || fail "the folder was created"

mkdir -p /tmp/ro
mount -t tmpfs -o ro tmpfs /tmp/ro
run ipvstune metrics --textfile /tmp/ro/ipvstune.prom
expect_rc 71 "a read-only folder"
expect_one_line_error "a read-only folder"
expect_contains "$err" "read-only file system" "a read-only folder"

# As a user who cannot write the folder: the folder is checked before IPVS is even opened.
run_as_op ipvstune metrics --textfile "$dir/ipvstune.prom"
expect_rc 71 "a folder the user cannot write"
expect_one_line_error "a folder the user cannot write"
expect_contains "$err" "permission denied in $dir" "a folder the user cannot write"
cmp -s "$dir/ipvstune.prom" /tmp/old.prom || fail "the old file changed"

# Without CAP_NET_ADMIN (as apply and get): 77, and the old file stays.
chmod 777 "$dir"
run_as_op ipvstune metrics --textfile "$dir/ipvstune.prom"
expect_rc 77 "metrics without CAP_NET_ADMIN"
expect_one_line_error "metrics without CAP_NET_ADMIN"
cmp -s "$dir/ipvstune.prom" /tmp/old.prom || fail "the old file changed after a failure"
expect_eq "$(ls -A "$dir")" "ipvstune.prom" "no temporary file left"
chmod 755 "$dir"

# A file name that is a folder.
mkdir -p "$dir/sub.prom"
run ipvstune metrics --textfile "$dir/sub.prom"
expect_rc 71 "a folder as the file"
expect_one_line_error "a folder as the file"

# Options.
run ipvstune metrics --all-netns --netns x
expect_rc 64 "--all-netns with --netns"
run ipvstune metrics --netns nosuch
expect_rc 66 "a namespace that does not exist"
expect_one_line_error "a namespace that does not exist"

# Namespaces vanishing during --all-netns: never a failure; a namespace read is whole (its
# timeouts and its services), one not read is counted. Several runs, so the race is met.
errors=0
try=0
while [ $try -lt 5 ] && [ "$errors" = 0 ]; do
    i=0
    while [ $i -lt 40 ]; do new_netns "v$i"; in_netns "v$i" ipvsadm -A -t 10.9.9.9:80; i=$((i + 1)); done
    ( i=0; while [ $i -lt 40 ]; do umount "/run/netns/v$i" 2>/dev/null; rm -f "/run/netns/v$i"; i=$((i + 1)); done ) &
    run ipvstune metrics --all-netns --textfile "$dir/ipvstune.prom"
    wait
    expect_rc 0 "metrics --all-netns while namespaces vanish"
    [ -z "$err" ] || fail "stderr: $err"
    errors=$(sample "$dir/ipvstune.prom" ipvstune_scrape_errors)
    read_ok=$(sample "$dir/ipvstune.prom" ipvstune_scrape_namespaces)
    services=$(grep -c '^ipvstune_services{netns="/run/netns/v' "$dir/ipvstune.prom")
    timeouts=$(grep -c '^ipvstune_timeout_seconds{netns="/run/netns/v[0-9]*",timeout="tcp"}' "$dir/ipvstune.prom")
    expect_eq "$timeouts" "$services" "each namespace read has its timeouts and its services"
    expect_eq "$((services + 1))" "$read_ok" "ipvstune_scrape_namespaces counts the host and those read"
    echo "try $try: $read_ok namespaces read, $errors gone"
    cp "$dir/ipvstune.prom" /tmp/vanish.prom
    try=$((try + 1))
done
exposition vanishing /tmp/vanish.prom
[ "$errors" -gt 0 ] || fail "in 5 runs no namespace vanished between listing and reading"
