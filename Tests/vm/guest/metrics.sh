# Helpers for the metrics scenarios: source after lib.sh.
#
#   sample FILE 'NAME{LABELS}'   the value of that series in FILE, or nothing
#   exposition NAME FILE         FILE on the console between markers: the host runs
#                                promtool check metrics over it after the boot (vm.sh)
#   node_exporter_start DIR      node_exporter's textfile collector (only) on 127.0.0.1:9100
#   scrape FILE                  wget of its /metrics into FILE
TEXTFILE_DIR=/var/lib/prometheus/node-exporter
node_exporter_pid=

sample() {
    awk -v want="$2" '$1 == want { print $2; found = 1; exit }' "$1"
}

expect_sample() {
    expect_eq "$(sample "$1" "$2")" "$3" "${4:-$2}"
}

exposition() {
    local name
    name=$(basename "$0" .sh)-$1
    { echo "@@EXPOSITION $name"; sed 's/^/@@E /' "$2"; echo "@@END"; } > /dev/console
}

node_exporter_start() {
    prometheus-node-exporter --collector.disable-defaults --collector.textfile \
        --collector.textfile.directory="$1" --web.listen-address=127.0.0.1:9100 \
        > /tmp/node_exporter.log 2>&1 &
    node_exporter_pid=$!
    local i=0
    while [ $i -lt 100 ]; do
        wget -q -O /dev/null http://127.0.0.1:9100/metrics 2>/dev/null && return 0
        sleep 0.2
        i=$((i + 1))
    done
    cat /tmp/node_exporter.log
    fail "node_exporter did not answer on 127.0.0.1:9100"
}

node_exporter_stop() {
    [ -n "${node_exporter_pid:-}" ] && kill "$node_exporter_pid" 2>/dev/null
    wait "$node_exporter_pid" 2>/dev/null
    node_exporter_pid=
}

scrape() {
    wget -q -O "$1" http://127.0.0.1:9100/metrics || fail "wget of node_exporter's /metrics failed"
}
