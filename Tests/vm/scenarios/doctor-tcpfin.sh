# tcpfin-timeout: a tcpfin timeout far from the default 120 s, below 30 s or above 10 minutes, is a
# warning that says what it does to closing connections; the suggested command puts 120 back.
. /guest/lib.sh
trap 'rm -rf /etc/systemd /lib/systemd' EXIT
expect_finding() { echo "$out" | grep -Eq "^$1 +$2 " || fail "$3: expected '$1 $2' in: $out"; }
fix_of() { echo "$out" | awk -v id="$1" '$2 == id && $1 != "ok" && $1 != "info" { getline; sub(/^ *fix: /, ""); print; exit }'; }
mkdir -p /lib/systemd/system /etc/systemd/system/multi-user.target.wants
echo '[Unit]' > /lib/systemd/system/ipvstune.service
ln -s /lib/systemd/system/ipvstune.service /etc/systemd/system/multi-user.target.wants/ipvstune.service
ipvstune set --tcp 7275 --save >/dev/null

# check ID OPTION VALUE WORDS: set the value (kernel and config), see the warning, run its fix.
check() {
    ipvstune set "$2" "$3" --save >/dev/null || fail "set $2 $3"
    run ipvstune doctor
    echo "$out"
    expect_rc 1 "$1 $3"
    expect_finding warning "$1" "$1 $3"
    expect_eq "$(echo "$out" | grep -c '^warning')" 1 "only $1 is wrong with $2 $3"
    expect_contains "$out" "$4" "$1 $3: the consequence"
    fix=$(fix_of "$1")
    expect_eq "$fix" "ipvstune set $2 $5 --save" "$1 $3: the fix"
    run sh -c "$fix"
    expect_rc 0 "$1 $3: running the fix"
    run ipvstune doctor
    expect_rc 0 "$1 $3: after the fix"
    expect_finding ok "$1" "$1 $3: after the fix"
}
check tcpfin-timeout --tcpfin 10 "is unusually low (the default is 120 s): IPVS forgets a connection 10 s after its first FIN" 120
check tcpfin-timeout --tcpfin 1h "is unusually high (the default is 120 s): closed connections stay in the table" 120
expect_kernel "7275 120 300" "back to the default"

# The edges of the usual range are fine.
ipvstune set --tcpfin 30 --save >/dev/null
run ipvstune doctor
expect_rc 0 "tcpfin 30"
ipvstune set --tcpfin 10m --save >/dev/null
run ipvstune doctor
expect_rc 0 "tcpfin 600"
