# The connection table changing while it is read: entries expiring (1 s timeouts) and
# others arriving during the read. No crash, no error, and every count lies between what
# the table held at its smallest and its largest.
if [ -z "${CONNS_CHURN_NETNS:-}" ]; then
    export CONNS_CHURN_NETNS=1
    exec unshare -n sh "$0"
fi
. /guest/lib.sh
. /guest/synctable.sh
trap 'clear_table --now >/dev/null 2>&1' EXIT
SYNC_TIMEOUT=600 fill_table 8000 || fail "fill_table"
# 4,000 of them will expire within a second or two; 4,000 new ones arrive meanwhile.
SYNC_TIMEOUT=1 sync_send 0 4000 >/dev/null
( sleep 1; SYNC_TIMEOUT=600 sync_send 8000 4000 >/dev/null ) &
i=0
while [ $i -lt 6 ]; do
    run ipvstune conns --count
    expect_rc 0 "count $i while the table changes"
    [ -z "$err" ] || fail "count $i printed errors: $err"
    [ "$out" -ge 0 ] && [ "$out" -le 12000 ] || fail "count $i out of bounds: $out"
    run ipvstune conns --summary --json
    expect_rc 0 "summary $i while the table changes"
    i=$((i + 1))
done
wait
