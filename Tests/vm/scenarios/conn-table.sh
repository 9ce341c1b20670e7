# The connection table's life in a namespace of its own, and ipvstune reading it at every
# stage: no rows is an empty table, never an error, and it counts what cat counts.
#
# Linux 7.x gives each namespace its own resizable table. There is none (size=0) until the
# namespace first uses IPVS, by a service or the sync daemon; it then has 256 buckets, grows
# with the entries up to 2^conn_tab_bits (4096 on Debian) and shrinks back to 256 as they
# expire. The issue expected the table to go away with the last service: 7.2 keeps its
# 256 buckets until the namespace itself goes, and this scenario asserts what 7.2 does.
# Before 7.x one table of 2^conn_tab_bits buckets serves every namespace from the moment
# ip_vs loads, whatever the services.
if [ -z "${CONN_TABLE_NETNS:-}" ]; then
    export CONN_TABLE_NETNS=1
    modprobe ip_vs
    exec unshare -n sh "$0"
fi
. /guest/lib.sh
. /guest/synctable.sh
trap 'clear_table --now >/dev/null 2>&1' EXIT
ip link set lo up

full=$((1 << $(cat /sys/module/ip_vs/parameters/conn_tab_bits)))
size() { sed -n '1s/.*(size=\([0-9]*\)).*/\1/p' /proc/net/ip_vs; }

# expect_size STAGE 7.X-SIZE: the table's size in /proc/net/ip_vs (and ipvsadm) at STAGE.
expect_size() {
    if linux7; then want=$2; else want=$full; fi
    expect_eq "$(size)" "$want" "$1: table size in /proc/net/ip_vs"
    expect_contains "$(ipvsadm -L -n | head -1)" "(size=$want)" "$1: table size in ipvsadm -L"
    if linux7; then
        expect_eq "$(sed -n 's/^Conn buckets:\t\([0-9]*\) .*/\1/p' /proc/net/ip_vs_status)" "$want" "$1: Conn buckets in ip_vs_status"
    else
        [ ! -e /proc/net/ip_vs_status ] || fail "$1: /proc/net/ip_vs_status exists before 7.x"
    fi
}

# ipvstune on the table as it is: what cat shows, no error.
expect_reads() {
    expect_eq "$(($(wc -l < /proc/net/ip_vs_conn) - 1))" "$2" "$1: rows cat reads"
    run ipvstune conns --count
    expect_rc 0 "$1: conns --count"
    expect_eq "$out" "$2" "$1: conns --count"
    run ipvstune conns
    expect_rc 0 "$1: conns"
    expect_eq "$err" "" "$1: conns stderr"
    expect_eq "$(printf '%s\n' "$out" | listing_keys | grep -c .)" "$2" "$1: rows conns lists"
    run ipvstune conns --summary --json
    expect_rc 0 "$1: conns --summary --json"
    run ipvstune get
    expect_rc 0 "$1: get"
}

expect_size "a fresh namespace" 0
expect_reads "a fresh namespace" 0

ipvsadm -A -t 10.0.0.1:80 -s rr
expect_size "one service" 256
expect_reads "one service" 0

fill_table 2000 || fail "fill_table 2000"
expect_size "2000 entries" "$full"
expect_reads "2000 entries" 2000
syncfeed -n 2000 | sort > /tmp/sent-rows
run ipvstune conns
expect_eq "$(printf '%s\n' "$out" | listing_keys | sort)" "$(as_listing < /tmp/sent-rows | sort)" "2000 entries: every row as sent"

# The entries expire (clear_table --now waits until the table is empty and stops the
# daemon); 7.x shrinks the table in a delayed work, within a few seconds.
clear_table --now || fail "clear_table --now"
i=0
while linux7 && [ "$(size)" != 256 ] && [ $i -lt 20 ]; do sleep 1; i=$((i + 1)); done
expect_size "the entries expired" 256
expect_reads "the entries expired" 0

ipvsadm -C
sleep 3
expect_size "no service, no daemon" 256
expect_reads "no service, no daemon" 0
