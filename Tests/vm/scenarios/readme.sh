# README.md's console examples, run in order on one director and compared with what README
# shows: each "# COMMAND" line of a ```console block is run, and its output must be the
# lines that follow it. Client ports above 32767, times to expiry, timestamps and doctor's
# count of ok findings (7.x has one check more, conn-max) are masked, runs of spaces count as
# one, and a "..." line stands for any number of lines.
# In a network namespace of its own: the entries earlier scenarios left in the table (their
# templates live for minutes) are not shown there, and what README shows is all there is.
if [ -z "${README_NETNS:-}" ]; then
    export README_NETNS=1
    exec unshare -n sh "$0"
fi
. /guest/lib.sh
. /guest/topology.sh
trap stop_background EXIT

# The director README shows: one persistent TCP service with a real server, and a client
# holding three connections to it.
lvs_nat_topology
start_servers
ipvsadm -A -t 10.1.0.100:80 -s rr -p 300
ipvsadm -a -t 10.1.0.100:80 -r 10.2.0.2:8080 -m -w 3
in_netns client tcpgen connect 10.1.0.100 80 3 -k 120 & bg_pids="$bg_pids $!"
sleep 2

dir=/tmp/readme
mkdir -p "$dir"
awk -v dir="$dir" '
    /^```console$/ { on = 1; next }
    on && /^```/ { on = 0; next }
    on && /^# / { if (n) { close(dir "/" n ".cmd"); close(dir "/" n ".exp") }
                  n++; print substr($0, 3) > (dir "/" n ".cmd"); printf "" > (dir "/" n ".exp"); next }
    on && n { print > (dir "/" n ".exp") }
' /guest/README.md

mask() {
    sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/<TIME>/g' \
        -e 's/([0-9]|\]):(3[2-9][0-9]{3}|[4-6][0-9]{4})([^0-9]|$)/\1:<PORT>\3/g' \
        -e 's/(^| )[0-9]+:[0-9]{2}(:[0-9]{2})?( |$)/\1<EXPIRES>\3/g' \
        -e 's/^(summary: .*, )[0-9]+ ok$/\1<N> ok/' \
        -e 's/ +/ /g' -e 's/ $//' "$1"
}

# matches EXPECTED ACTUAL: line for line, "..." matching any run of lines.
matches() {
    awk 'NR == FNR { want[++n] = $0; next } { got[++m] = $0 }
        END {
            i = 1; j = 1
            while (i <= n) {
                if (want[i] == "...") {
                    i++
                    if (i > n) { j = m + 1; break }
                    while (j <= m && got[j] != want[i]) j++
                    if (j > m) exit 1
                    continue
                }
                if (j > m || got[j] != want[i]) exit 1
                i++; j++
            }
            exit (j <= m)
        }' "$1" "$2"
}

count=0 failed=0
n=1
while [ -f "$dir/$n.cmd" ]; do
    cmd=$(cat "$dir/$n.cmd")
    # iproute2's ip: the busybox shell would run its own applet, which has no "netns add".
    (cd /tmp && sh -c "ip() { /usr/sbin/ip \"\$@\"; }; $cmd") > "$dir/$n.out" 2>&1
    mask "$dir/$n.exp" > "$dir/$n.exp.masked"
    mask "$dir/$n.out" > "$dir/$n.out.masked"
    if matches "$dir/$n.exp.masked" "$dir/$n.out.masked"; then
        echo "ok: # $cmd"
    else
        echo "README shows for '# $cmd':"; sed 's/^/    /' "$dir/$n.exp"
        echo "but it printed:"; sed 's/^/    /' "$dir/$n.out"
        failed=$((failed + 1))
    fi
    count=$((count + 1))
    n=$((n + 1))
done
[ "$count" -ge 10 ] || fail "only $count console examples found in README.md"
[ "$failed" -eq 0 ] || fail "$failed of $count README examples print something else"
echo "$count README examples print what README shows"
