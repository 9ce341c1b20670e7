# A real node_exporter (Debian's prometheus-node-exporter) serving ipvstune's textfile: its
# /metrics shows the kernel's values, follows `ipvstune set`, shows namespaces and a drifted
# config as drift, and the last apply's result; watch --textfile's counters sit beside them.
. /guest/lib.sh
. /guest/metrics.sh
trap 'node_exporter_stop; kill ${watch:-} 2>/dev/null' EXIT
command -v prometheus-node-exporter >/dev/null || fail "prometheus-node-exporter is not staged in the guest"
mkdir -p "$TEXTFILE_DIR" /var/lib
ipvsadm -A -t 10.9.0.1:80 -s rr -p 600
node_exporter_start "$TEXTFILE_DIR"
prometheus-node-exporter --version 2>&1 | head -1

write() { run ipvstune metrics --all-netns --textfile "$TEXTFILE_DIR/ipvstune.prom"; expect_rc 0 "metrics --textfile"; [ -z "$out" ] || fail "--textfile printed: $out"; }
write
scrape /tmp/scrape1
exposition scrape /tmp/scrape1
echo "node_exporter's ipvstune series:"; grep '^ipvstune_' /tmp/scrape1
expect_sample /tmp/scrape1 'ipvstune_timeout_seconds{netns="host",timeout="tcp"}' 900
expect_sample /tmp/scrape1 'ipvstune_timeout_seconds{netns="host",timeout="udp"}' 300
expect_sample /tmp/scrape1 'ipvstune_service_persistence_timeout_seconds{netns="host",proto="TCP",virtual="10.9.0.1:80"}' 600
expect_sample /tmp/scrape1 'node_textfile_scrape_error' 0 "node_exporter read the file without error"

# ipvstune set, then the next write: node_exporter serves the new value.
ipvstune set --tcp 7200 --udp 120 >/dev/null || fail "set"
write
scrape /tmp/scrape2
expect_sample /tmp/scrape2 'ipvstune_timeout_seconds{netns="host",timeout="tcp"}' 7200 "tcp after ipvstune set"
expect_sample /tmp/scrape2 'ipvstune_timeout_seconds{netns="host",timeout="udp"}' 120 "udp after ipvstune set"

# A config the host holds, a namespace it covers that drifted, one it does not cover.
new_netns blue
new_netns green
printf 'tcp = 2h\nudp = 2m\nnetns = /run/netns/blue\n' > /etc/ipvstune.conf
chmod 600 /etc/ipvstune.conf
write
scrape /tmp/scrape3
exposition drift /tmp/scrape3
expect_sample /tmp/scrape3 'ipvstune_config_match{netns="host"}' 1 "the host holds the config"
expect_sample /tmp/scrape3 'ipvstune_config_match{netns="/run/netns/blue"}' 0 "blue drifted"
expect_sample /tmp/scrape3 'ipvstune_config_timeout_seconds{netns="/run/netns/blue",timeout="tcp"}' 7200
expect_sample /tmp/scrape3 'ipvstune_timeout_seconds{netns="/run/netns/blue",timeout="tcp"}' 900
expect_sample /tmp/scrape3 'ipvstune_timeout_seconds{netns="/run/netns/green",timeout="tcp"}' 900
expect_sample /tmp/scrape3 'ipvstune_config_match{netns="/run/netns/green"}' "" "green is not the config's"

# apply fixes blue and records its result; a broken config makes it fail and says so.
run ipvstune apply
expect_rc 0 "apply"
write
scrape /tmp/scrape4
expect_sample /tmp/scrape4 'ipvstune_config_match{netns="/run/netns/blue"}' 1 "blue after apply"
expect_sample /tmp/scrape4 'ipvstune_apply_last_success' 1
expect_sample /tmp/scrape4 'ipvstune_apply_last_changed' 1
now=$(date +%s)
last=$(sample /tmp/scrape4 'ipvstune_apply_last_timestamp_seconds')
# node_exporter writes large values as Go's %g does (1.764443012e+09): awk reads both.
awk -v now="$now" -v last="$last" 'BEGIN { exit !(last != "" && now - last >= 0 && now - last <= 60) }' \
    || fail "apply's time '$last' is not recent ($now)"
printf 'tcp = soon\n' > /etc/ipvstune.conf
run ipvstune apply
expect_rc 78 "apply with a broken config"
write
scrape /tmp/scrape5
expect_sample /tmp/scrape5 'ipvstune_apply_last_success' 0 "a failed apply"
expect_sample /tmp/scrape5 'ipvstune_apply_last_exit_status' 78
expect_sample /tmp/scrape5 'ipvstune_config_valid' 0
run ipvstune apply --check
expect_rc 78 "apply --check"
run ipvstune metrics
expect_contains "$out" "ipvstune_apply_last_exit_status 78" "apply --check is not recorded"

# watch --textfile beside it: node_exporter serves both files.
ipvstune watch --textfile "$TEXTFILE_DIR/ipvstune-watch.prom" > /dev/null 2>&1 &
watch=$!
i=0
while [ ! -e "$TEXTFILE_DIR/ipvstune-watch.prom" ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
scrape /tmp/scrape6
exposition with-watch /tmp/scrape6
expect_sample /tmp/scrape6 'ipvstune_watch_running' 1
expect_sample /tmp/scrape6 'ipvstune_timeout_seconds{netns="host",timeout="tcp"}' 7200
expect_sample /tmp/scrape6 'node_textfile_scrape_error' 0
kill -TERM $watch
wait $watch
watch=
scrape /tmp/scrape7
expect_sample /tmp/scrape7 'ipvstune_watch_running' 0 "watch wrote its file at exit"
