#!/bin/sh
# What an operator sees on a fresh director: the defaults, a set, the result, ipvsadm's view.
show() { echo "# $*"; "$@"; echo; }
echo "== ipvstune on a real kernel: $(uname -r), under qemu =="
echo
show ipvstune get
show ipvstune set 7200 120 300
show ipvstune get
show ipvstune get --json
show ipvsadm -L --timeout
show ipvstune set --udp 1m
show ipvstune set 7200 120 60
