# Namespaces disappearing while apply --all-netns walks them: no crash; each namespace
# either got the config or is reported as gone (66), and every survivor has the config.
. /guest/lib.sh
printf 'tcp = 2h\n' > /etc/ipvstune.conf
mkdir -p /run/netns
i=0
while [ $i -lt 60 ]; do new_netns "v$i"; i=$((i + 1)); done
( i=0; while [ $i -lt 60 ]; do umount "/run/netns/v$i" 2>/dev/null; rm -f "/run/netns/v$i"; i=$((i + 2)); done ) &
run ipvstune apply --all-netns
wait
case $rc in 0|66|64) ;; *) fail "apply --all-netns while namespaces vanish: exit $rc: $err" ;; esac
if [ -n "$err" ] && printf '%s\n' "$err" | grep -v -q '^ipvstune: /run/netns/v[0-9]*: '; then
    fail "unexpected stderr: $err"
fi
for ns in /run/netns/v*; do
    [ -e "$ns" ] || continue
    if ! nsenter --net="$ns" ipvsadm -L --timeout | grep -q 'Timeout (tcp tcpfin udp): 7200 '; then
        # Only a namespace the walk found gone may lack the config; it must still exist now.
        fail "$ns survived but did not get the config"
    fi
done

# Named explicitly and gone: 66 and one line.
run ipvstune get --netns v0
expect_rc 66 "a vanished namespace"
expect_one_line_error "a vanished namespace"
