# Helpers for boot checks: each check prints @@PASS or @@FAIL with its name; @@DONE ends.
check() {
    name=$1; shift
    if output=$("$@" 2>&1); then
        echo "@@PASS $name"
    else
        echo "@@FAIL $name"
        printf '%s\n' "$output" | sed 's/^/    /'
    fi
}

kernel_is() {
    got=$(ipvsadm -L --timeout | sed -n 's/^Timeout (tcp tcpfin udp): //p')
    [ "$got" = "$1" ] || { echo "kernel timeouts (ipvsadm): expected '$1', got '$got'"; return 1; }
}

# The unit as installed passes systemd-analyze verify without a single message. The guest
# has no man(1) to open the Documentation= page; the package test checks that page instead.
unit_verifies() {
    out=$(systemd-analyze verify --man=no /lib/systemd/system/ipvstune.service \
        /lib/systemd/system/ipvstune-netns.service 2>&1)
    [ -z "$out" ] || { echo "$out"; return 1; }
}

unit_property_is() {
    got=$(systemctl show -P "$2" "$1")
    [ "$got" = "$3" ] || { echo "$1 $2: expected '$3', got '$got'"; systemctl status "$1" --no-pager; return 1; }
}

# new_docker_netns NAME: a namespace as Docker makes one, a file bind-mounted to a new netns.
new_docker_netns() {
    mkdir -p /run/docker/netns
    touch "/run/docker/netns/$1"
    unshare --net="/run/docker/netns/$1" true
}

# The follower gives a new Docker namespace the config's timeouts within a few seconds.
netns_gets_config() {
    new_docker_netns lb_test
    for i in $(seq 1 30); do
        got=$(nsenter --net=/run/docker/netns/lb_test ipvsadm -L --timeout | sed -n 's/^Timeout (tcp tcpfin udp): //p')
        [ "$got" = "$1" ] && return 0
        sleep 1
    done
    echo "the new namespace has '$got', expected '$1'"
    systemctl status ipvstune-netns.service --no-pager
    return 1
}

# Namespaces made one after another as Docker makes them (the file, then a moment later the
# mount): every one gets the config, and the follower is the same process afterwards.
netns_burst_gets_config() {
    mkdir -p /run/docker/netns
    for i in 1 2 3 4 5 6 7 8; do
        touch "/run/docker/netns/burst$i"
        sleep 0.2
        unshare --net="/run/docker/netns/burst$i" true
        sleep 0.3
    done
    for i in $(seq 1 30); do
        missing=""
        for f in /run/docker/netns/burst*; do
            got=$(nsenter --net="$f" ipvsadm -L --timeout | sed -n 's/^Timeout (tcp tcpfin udp): //p')
            [ "$got" = "$1" ] || missing="$missing ${f##*/} ($got)"
        done
        [ -z "$missing" ] && break
        sleep 1
    done
    [ -z "$missing" ] || { echo "not at '$1' after 30 s:$missing"; systemctl status ipvstune-netns.service --no-pager; return 1; }
    unit_property_is ipvstune-netns.service NRestarts 0
    unit_property_is ipvstune-netns.service SubState running
}

# The follower was ready (Type=notify) before docker.service began to start: the namespaces
# docker.service makes at boot cannot come before it follows.
follower_ready_before_docker() {
    ready=$(systemctl show -P ActiveEnterTimestampMonotonic ipvstune-netns.service)
    docker=$(systemctl show -P InactiveExitTimestampMonotonic docker.service)
    echo "follower ready at ${ready} us, docker.service started at ${docker} us (monotonic)"
    [ "$ready" -gt 0 ] && [ "$docker" -gt "$ready" ]
}

# SIGTERM, as at shutdown: the follower exits 0 and the unit is inactive, not failed; it
# starts again and is ready.
follower_stops_cleanly() {
    systemctl stop ipvstune-netns.service || return 1
    unit_property_is ipvstune-netns.service ActiveState inactive || return 1
    unit_property_is ipvstune-netns.service Result success || return 1
    unit_property_is ipvstune-netns.service ExecMainStatus 0 || return 1
    systemctl start ipvstune-netns.service || return 1
    unit_property_is ipvstune-netns.service ActiveState active
}

# ipvstune-metrics.service, sandboxed as installed, writes node_exporter's textfile once its
# folder exists: the config's drift and the boot's apply are in it.
metrics_textfile() {
    mkdir -p /var/lib/prometheus/node-exporter
    systemctl start ipvstune-metrics.service || { systemctl status ipvstune-metrics.service --no-pager; return 1; }
    file=/var/lib/prometheus/node-exporter/ipvstune.prom
    grep -qx 'ipvstune_config_match{netns="host"} 1' "$file" || { cat "$file"; return 1; }
    grep -qx 'ipvstune_apply_last_success 1' "$file" || { cat "$file"; return 1; }
    grep -qx 'ipvstune_timeout_seconds{netns="host",timeout="tcp"} 7200' "$file" || { cat "$file"; return 1; }
}
