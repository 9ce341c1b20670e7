# The backup sync daemon fills a real connection table without traffic: 2,000 entries sent
# by syncfeed appear in /proc/net/ip_vs_conn and in ipvsadm -Lnc exactly as sent, a message
# with another syncid is ignored, and clear_table --now empties the table. It runs in a
# network namespace of its own (IPVS tables and sync daemons are per namespace), so the
# counts are exact whatever other scenarios left in the root namespace's table.
if [ -z "${SYNC_FILL_NETNS:-}" ]; then
    export SYNC_FILL_NETNS=1
    exec unshare -n sh "$0"
fi
. /guest/lib.sh
. /guest/synctable.sh
trap 'clear_table --now >/dev/null 2>&1' EXIT

fill_table 2000 || fail "fill_table 2000"
expect_eq "$(conn_count)" 2000 "entries in /proc/net/ip_vs_conn"
expect_eq "$(sed -n 1p /proc/net/ip_vs_conn)" \
    "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData" "header"
expect_eq "$(($(ipvsadm -Lnc | wc -l) - 2))" 2000 "entries listed by ipvsadm -Lnc"

# A few rows exactly as the kernel prints them: each kind syncfeed sends.
for row in \
    "TCP 64400000 0400 C0A80A01 0050 AC100001 0050 ESTABLISHED " \
    "TCP 6440000C 2BB4 C0A80A01 0050 AC10000D 0050 SYN_RECV    " \
    "TCP 6440000E 0EA7 C0A80A01 0050 AC100002 0050 TIME_WAIT   " \
    "UDP 64400010 EB9B C0A80A01 0035 AC100004 0035 UDP         " \
    "TCP 64400012 0000 C0A80A01 0050 AC100006 0050 NONE        " \
    "TCP 64400026 0000 C0A80A02 0050 AC10000D 0050 ASSURED     " \
    "IP  64400013 0000 00000001 0000 AC100007 0000 NONE        "; do
    grep -q "^$row" /proc/net/ip_vs_conn || fail "no row '$row'"
done

# Every row as sent (all columns but Expires), and Expires within the 600 s timeout.
syncfeed -n 2000 | awk '{ $1 = $1; print }' | sort > /tmp/sent
awk 'NR > 1 { print $1, $2, $3, $4, $5, $6, $7, $8 }' /proc/net/ip_vs_conn | sort > /tmp/table
cmp -s /tmp/sent /tmp/table || fail "the table differs from what was sent: $(diff /tmp/sent /tmp/table | head -8)"
expect_eq "$(awk 'NR > 1 && ($9 < 590 || $9 > 600)' /proc/net/ip_vs_conn | head -3)" "" "Expires near 600"
expect_eq "$(awk 'NR > 1 { print $1, ($3 == "0000" ? "template" : "conn"), $8 }' /proc/net/ip_vs_conn | sort | uniq -c | awk '{ $1 = $1; print }')" \
"100 IP template NONE
100 TCP conn CLOSE_WAIT
1200 TCP conn ESTABLISHED
100 TCP conn FIN_WAIT
100 TCP conn SYN_RECV
100 TCP conn TIME_WAIT
50 TCP template ASSURED
50 TCP template NONE
200 UDP conn UDP" "the mix of protocols, states and templates"

# ipvsadm -Lnc lists the same entries: the sent rows in its notation.
awk 'function h(s,  i, v) { v = 0; for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789ABCDEF", substr(s, i, 1)) - 1; return v }
     function ip(s) { return h(substr(s, 1, 2)) "." h(substr(s, 3, 2)) "." h(substr(s, 5, 2)) "." h(substr(s, 7, 2)) }
     { print $1, $8, ip($2) ":" h($3), ip($4) ":" h($5), ip($6) ":" h($7) }' /tmp/sent | sort > /tmp/sent-ipvsadm
ipvsadm -Lnc | awk 'NR > 2 { print $1, $3, $4, $5, $6 }' | sort > /tmp/ipvsadm
cmp -s /tmp/sent-ipvsadm /tmp/ipvsadm || fail "ipvsadm -Lnc differs from what was sent: $(diff /tmp/sent-ipvsadm /tmp/ipvsadm | head -8)"
grep -qx "IP NONE 100.64.0.19:0 0.0.0.1:0 172.16.0.7:0" /tmp/ipvsadm || fail "fwmark template in ipvsadm -Lnc"

# Messages with another syncid (2, and 0) are ignored by a backup with syncid 1. syncfeed
# returns once the backup thread has taken and processed them; the next message, with
# the right syncid, lands after them.
sync_send 5000 10 2 || fail "sending with syncid 2"
sync_send 5100 10 0 || fail "sending with syncid 0"
expect_eq "$(conn_count)" 2000 "after messages with other syncids"
sync_send 6000 10 || fail "sending with syncid 1"
expect_eq "$(conn_count)" 2010 "after a message with the daemon's syncid"
grep -q '^TCP 64401388 ' /proc/net/ip_vs_conn && fail "entry 5000 (syncid 2) was created"
grep -q '^TCP 644013EC ' /proc/net/ip_vs_conn && fail "entry 5100 (syncid 0) was created"
grep -q '^TCP 64401770 ' /proc/net/ip_vs_conn || fail "entry 6000 (syncid 1) is missing"

clear_table --now || fail "clear_table --now"
expect_eq "$(conn_count)" 0 "entries after clear_table --now"
expect_eq "$(ipvsadm -L --daemon)" "" "no daemon after clear_table"
