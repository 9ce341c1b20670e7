# Fills the guest's real IPVS connection table without traffic, through the kernel's
# backup sync daemon. Source it (busybox sh), then:
#
#   fill_table N       add N distinct entries, then make sure /proc/net/ip_vs_conn holds
#                      every entry synced since the last clear (waits up to $SYNC_WAIT s;
#                      returns 1 if it does not). The first call adds entries 0..N-1, the
#                      next ones continue after them. The mix is syncfeed's (see
#                      Tests/vm/tools/syncfeed.c; `syncfeed -n [-o FIRST] N` prints it):
#                      60% TCP ESTABLISHED, 20% other TCP states, 10% UDP, 5% TCP
#                      persistence templates (client port 0), 5% firewall-mark templates
#                      (protocol IP), each entry with its own client address.
#   sync_send FIRST N [SYNCID]
#                      send entries FIRST..FIRST+N-1 with SYNCID (default $SYNC_ID); the
#                      range is remembered for clear_table --now when SYNCID is the
#                      daemon's. Returns syncfeed's status (3: the backup dropped some).
#   clear_table        stop the backup daemon. The entries stay until their timeout
#                      ($SYNC_TIMEOUT, 600 s by default): nothing else removes them, not
#                      ipvsadm -C (they belong to no service) nor stopping the daemon.
#   clear_table --now  first send every remembered range again with a 1 s timeout (the
#                      backup sets an existing entry's timeout anew and re-arms its
#                      timer), wait until the table is empty, then stop the daemon.
#   conn_count         entries in /proc/net/ip_vs_conn (syncfeed -c). Costly on big
#                      tables: the 6.1 kernel restarts its walk from the first bucket
#                      for every page read (about 1.5 s at 50,000 entries under TCG).
#   sync_setup         the dummy interface and the backup daemon, as fill_table makes them.
#   as_listing, listing_keys
#                      /proc rows, and ipvstune conns rows, as comparable text (below).
#
# The daemon listens on a dummy interface $SYNC_IF (no network card needed) with multicast
# on and MTU 65535, so the backup reads datagrams of up to 65507 bytes and syncfeed sends
# the maximum of 255 entries per datagram. syncfeed sends with IP_MULTICAST_LOOP: the
# looped copy arrives on $SYNC_IF (the dummy drops the original). syncfeed keeps at most
# 4 datagrams in flight and returns once the backup thread has processed them all, so no
# datagram is lost to the backup's socket buffer (212992 bytes, about 12 datagrams).
#
# Everything here is per network namespace (the table, the daemon, $SYNC_IF, the UDP
# counters syncfeed watches): in a fresh one (unshare -n) the table holds only what
# fill_table put there, and it goes away with the namespace.
#
# Settings: SYNC_IF (sync0), SYNC_ADDR (10.255.0.1/24), SYNC_ID (1: the daemon's syncid
# and the messages'), SYNC_TIMEOUT (600 s), SYNC_WAIT (120 s).
SYNC_IF=${SYNC_IF:-sync0}
SYNC_ADDR=${SYNC_ADDR:-10.255.0.1/24}
SYNC_ID=${SYNC_ID:-1}
SYNC_TIMEOUT=${SYNC_TIMEOUT:-600}
SYNC_WAIT=${SYNC_WAIT:-120}
# "FIRST COUNT" per range synced since the last clear, one file per network namespace
SYNC_RANGES=/run/synctable.$(readlink /proc/self/ns/net | tr -cd 0-9).ranges

conn_count() {
    syncfeed -c
}

sync_setup() {
    if ! ip link show "$SYNC_IF" >/dev/null 2>&1; then
        modprobe dummy 2>/dev/null
        ip link add "$SYNC_IF" type dummy || { echo "synctable: cannot create $SYNC_IF" >&2; return 1; }
    fi
    ip addr show dev "$SYNC_IF" | grep -q "inet ${SYNC_ADDR%/*}/" || ip addr add "$SYNC_ADDR" dev "$SYNC_IF"
    ip link set "$SYNC_IF" mtu 65535 multicast on up || return 1
    local daemon
    daemon=$(ipvsadm -L --daemon 2>/dev/null | grep '^backup')
    case $daemon in
        *"mcast=$SYNC_IF, syncid=$SYNC_ID,"* | *"mcast=$SYNC_IF, syncid=$SYNC_ID)"*) return 0 ;;
        "") ;;
        *) ipvsadm --stop-daemon backup ;;
    esac
    ipvsadm --start-daemon backup --mcast-interface "$SYNC_IF" --syncid "$SYNC_ID" ||
        { echo "synctable: cannot start the backup daemon" >&2; return 1; }
}

sync_send() {
    local first=$1 n=$2 id=${3:-$SYNC_ID} rc
    sync_setup || return 1
    [ "$id" = "$SYNC_ID" ] && echo "$first $n" >> "$SYNC_RANGES"
    syncfeed -i "$SYNC_IF" -s "$id" -t "$SYNC_TIMEOUT" -o "$first" "$n" >/dev/null && rc=0 || rc=$?
    return "$rc"
}

# The next unused entry index and how many entries were synced, from $SYNC_RANGES.
sync_next() {
    [ -f "$SYNC_RANGES" ] || { echo "0 0"; return; }
    awk '{ if ($1 + $2 > next_) next_ = $1 + $2; total += $2 } END { print next_ + 0, total + 0 }' "$SYNC_RANGES"
}

# sync_wait N: until the table holds at least N entries, polling every second (each poll
# is a full read of /proc/net/ip_vs_conn), at most $SYNC_WAIT s.
sync_wait() {
    local want=$1 deadline=$(($(date +%s) + SYNC_WAIT)) have
    while :; do
        have=$(conn_count)
        [ "$have" -ge "$want" ] && return 0
        [ "$(date +%s)" -ge "$deadline" ] && break
        sleep 1
    done
    echo "synctable: the table holds $have entries after ${SYNC_WAIT}s, expected $want" >&2
    return 1
}

fill_table() {
    local n=$1 first total rc
    set -- $(sync_next)
    first=$1 total=$2
    sync_send "$first" "$n" && rc=0 || rc=$?
    if [ "$rc" = 3 ]; then
        # The backup dropped datagrams: sending the range again only refreshes the
        # entries it already has.
        syncfeed -i "$SYNC_IF" -s "$SYNC_ID" -t "$SYNC_TIMEOUT" -o "$first" "$n" >/dev/null && rc=0 || rc=$?
    fi
    [ "$rc" = 0 ] || { echo "synctable: syncfeed failed ($rc)" >&2; return 1; }
    sync_wait $((total + n))
}

clear_table() {
    local f c deadline
    if [ "${1:-}" = --now ] && [ -f "$SYNC_RANGES" ]; then
        sync_setup || return 1
        while read -r f c; do
            syncfeed -i "$SYNC_IF" -s "$SYNC_ID" -t 1 -o "$f" "$c" >/dev/null
        done < "$SYNC_RANGES"
        deadline=$(($(date +%s) + SYNC_WAIT))
        while [ "$(conn_count)" -gt 0 ]; do
            if [ "$(date +%s)" -ge "$deadline" ]; then
                echo "synctable: the table still holds $(conn_count) entries" >&2
                ipvsadm --stop-daemon backup 2>/dev/null
                return 1
            fi
            sleep 1
        done
        rm -f "$SYNC_RANGES"
    fi
    ipvsadm --stop-daemon backup 2>/dev/null
    return 0
}

# as_listing: rows of /proc/net/ip_vs_conn (IPv4, as syncfeed sends them) on stdin, the
# header skipped, printed as ipvstune conns lists them without EXPIRES and FLAGS:
# PRO STATE CLIENT VIRTUAL DEST.
as_listing() {
    awk 'function h(s,  i, v) { v = 0; for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789ABCDEF", substr(s, i, 1)) - 1; return v }
         function ip(s) { return h(substr(s, 1, 2)) "." h(substr(s, 3, 2)) "." h(substr(s, 5, 2)) "." h(substr(s, 7, 2)) }
         $1 != "Pro" { print $1, $8, ip($2) ":" h($3), ($1 == "IP" ? "fwmark:" h($4) : ip($4) ":" h($5)), ip($6) ":" h($7) }'
}

# listing_keys: ipvstune conns output on stdin, the same five columns.
listing_keys() {
    awk '$1 != "PRO" { print $1, $2, $4, $5, $6 }'
}
