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
    out=$(systemd-analyze verify --man=no /lib/systemd/system/ipvstune.service 2>&1)
    [ -z "$out" ] || { echo "$out"; return 1; }
}

unit_property_is() {
    got=$(systemctl show -P "$2" "$1")
    [ "$got" = "$3" ] || { echo "$1 $2: expected '$3', got '$got'"; systemctl status "$1" --no-pager; return 1; }
}
