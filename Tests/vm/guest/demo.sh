#!/bin/sh
# What an operator sees on a fresh director: the defaults, a set, the result, ipvsadm's view,
# then keeping the values and asking doctor what is still wrong.
show() { echo "# $*"; "$@"; echo; }
echo "== ipvstune on a real kernel: $(uname -r), under qemu =="
echo
show ipvstune get
show ipvstune set 7200 120 300
show ipvstune get
show ipvstune get --json
show ipvsadm -L --timeout
show ipvstune doctor
show ipvstune set --tcp 7275 --save
show ipvstune show-config
ipvsadm -A -t 192.0.2.10:5432 -s rr -p 600
ipvsadm -a -t 192.0.2.10:5432 -r 192.0.2.21:5432 -m
show ipvstune services
show ipvstune doctor
ipvsadm -C

echo "== The idle session IPVS forgets (the psql story) =="
echo
. /guest/lib.sh
. /guest/topology.sh
lvs_nat_topology >/dev/null 2>&1
in_netns rs sessions echo 5432 & echo_server=$!
ipvsadm -A -t 10.1.0.100:5432 -s rr
ipvsadm -a -t 10.1.0.100:5432 -r 10.2.0.2:5432 -m
show ipvstune set --tcp 5
echo "# ipvstune watch &"
ipvstune watch & watch=$!
sleep 1
# session SECONDS: a client connects through the director, idles, then writes once.
session() {
    echo "# a client connects to 10.1.0.100:5432, stays idle for $1 s, then writes"
    in_netns client sessions incident 10.1.0.100 5432 "$1" | {
        read -r port
        echo "  (client port $port)"
        read -r result
        echo "  the write after $1 idle seconds: $result"
    }
    echo
}
session 8
show ipvstune set --tcp 7275 --save
session 8
kill -INT $watch; wait $watch
kill $echo_server
