# No growth in memory, descriptors or netlink sockets: 10,000 get/set cycles through the
# shim in one process, then 300 ipvstune processes, each with the socket count unchanged.
. /guest/lib.sh
ipvsadm -A -t 10.9.9.9:80 -s rr
ipvsadm -a -t 10.9.9.9:80 -r 10.9.9.10:80 -m
run cipvs-cycles 10000
echo "$out"
expect_rc 0 "10,000 cycles in one process: descriptors and memory stay flat"

sockets() { grep -c . /proc/net/netlink; }
before=$(sockets)
i=0
while [ $i -lt 100 ]; do
    ipvstune get >/dev/null || fail "get $i"
    ipvstune set --tcp $((1000 + i)) >/dev/null || fail "set $i"
    ipvstune services >/dev/null || fail "services $i"
    i=$((i + 1))
done
expect_eq "$(sockets)" "$before" "netlink sockets after 300 processes"
# A process's own descriptors at exit: only the standard three and the one ls opens.
expect_eq "$(ipvstune get >/dev/null; ls /proc/self/fd | wc -l)" 4 "a shell's descriptors are untouched"
