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
