# Helpers for guest scenarios: source it, then call run/expect_*; any failure exits 1.
set -u

fail() { echo "FAIL: $*"; exit 1; }

# run CMD...: runs it, keeping stdout in $out, stderr in $err and the exit status in $rc.
run() {
    out=$("$@" 2>/tmp/stderr) && rc=0 || rc=$?
    err=$(cat /tmp/stderr)
}

# run_as_op CMD: the same, as the unprivileged user "op".
run_as_op() {
    out=$(su -s /bin/sh op -c "$*" 2>/tmp/stderr) && rc=0 || rc=$?
    err=$(cat /tmp/stderr)
}

expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; }

expect_rc() {
    [ "$rc" = "$1" ] || fail "$2: expected exit $1, got $rc (stdout: $out) (stderr: $err)"
}

expect_contains() {
    case $1 in *"$2"*) ;; *) fail "$3: expected to contain '$2', got '$1'" ;; esac
}

# One line on stderr, starting with "ipvstune: ".
expect_one_line_error() {
    [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "$1: expected one line on stderr, got: $err"
    expect_contains "$err" "ipvstune: " "$1"
}

# The kernel's timeouts as ipvsadm, the reference, reads them: "tcp tcpfin udp".
kernel_timeouts() {
    ipvsadm -L --timeout | sed -n 's/^Timeout (tcp tcpfin udp): //p'
}

expect_kernel() { expect_eq "$(kernel_timeouts)" "$1" "${2:-kernel timeouts (ipvsadm)}"; }

# wait_until CONDITION MESSAGE: checks the shell condition every 0.1 s; fails after 10 s with
# MESSAGE, expanded then (so it can show the state at the deadline).
wait_until() {
    tries=0
    until eval "$1"; do
        tries=$((tries + 1))
        if [ $tries -gt 100 ]; then eval "fail \"$2\""; fi
        usleep 100000
    done
}

# new_netns NAME: a named network namespace, as 'ip netns add' makes it.
new_netns() {
    mkdir -p /run/netns
    touch "/run/netns/$1"
    unshare --net="/run/netns/$1" ip link set lo up
}

in_netns() { ns=$1; shift; nsenter --net="/run/netns/$ns" "$@"; }

# Make modprobe unreachable for the kernel (/sbin/modprobe) and for ipvstune (its search path).
hide_modprobe() {
    for m in /sbin/modprobe /bin/modprobe; do mv "$m" "$m.hidden"; done
}

unhide_modprobe() {
    for m in /sbin/modprobe /bin/modprobe; do [ -e "$m.hidden" ] && mv "$m.hidden" "$m"; done
    return 0
}

# Linux 7.x: each namespace has its own resizable connection table (sysctls conn_lfactor,
# svc_lfactor and conn_max, /proc/net/ip_vs_status); before 7.x one table of fixed size
# serves every namespace. Scenarios that see the difference assert each kernel's own.
linux7() { [ "$(uname -r | cut -d. -f1)" -ge 7 ]; }
