#!/usr/bin/env bash
# The .deb, checked without booting: its metadata, and an install, upgrade-in-place and
# purge with dpkg --root into a scratch root (maintainer scripts run with DPKG_ROOT set).
set -euo pipefail
deb=${1:?usage: test-deb.sh DEB}
passed=0 failed=0
ok() { echo "PASS $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; shift; printf '    %s\n' "$@"; failed=$((failed + 1)); }
expect() { local name=$1; shift; if out=$("$@" 2>&1); then ok "$name"; else bad "$name" "$out"; fi; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
dpkg_root() { dpkg --root="$root" --force-script-chrootless --log=/dev/null "$@"; }

expect deb-has-no-depends sh -c "! dpkg-deb -f '$deb' Depends | grep -q ."
expect deb-config-is-a-conffile sh -c "dpkg-deb --ctrl-tarfile '$deb' | tar -xOf - ./conffiles | grep -qx /etc/ipvstune.conf"
expect deb-binary-is-static sh -c "dpkg-deb --fsys-tarfile '$deb' | tar -xOf - ./usr/sbin/ipvstune > '$root/bin.tmp' && chmod +x '$root/bin.tmp' && ldd '$root/bin.tmp' 2>&1 | grep -q 'not a dynamic executable'; rc=\$?; rm -f '$root/bin.tmp'; exit \$rc"

expect deb-installs dpkg_root -i "$deb"
expect deb-installs-binary test -x "$root/usr/sbin/ipvstune"
expect deb-installs-unit test -f "$root/lib/systemd/system/ipvstune.service"
expect deb-unit-runs-installed-binary grep -qx 'ExecStart=/usr/sbin/ipvstune apply' "$root/lib/systemd/system/ipvstune.service"
expect deb-installs-man-page test -f "$root/usr/share/man/man8/ipvstune.8"
expect deb-man-page-renders-cleanly sh -c "out=\$(MANWIDTH=80 man --warnings -l '$root/usr/share/man/man8/ipvstune.8' 2>&1 >/dev/null); [ -z \"\$out\" ] || { echo \"\$out\"; exit 1; }"
expect deb-installs-completions test -f "$root/usr/share/bash-completion/completions/ipvstune" -a -f "$root/usr/share/zsh/site-functions/_ipvstune" -a -f "$root/usr/share/fish/vendor_completions.d/ipvstune.fish"
expect deb-installs-config test -f "$root/etc/ipvstune.conf"
expect deb-enables-unit test -L "$root/etc/systemd/system/multi-user.target.wants/ipvstune.service"
expect deb-has-no-path-unit test ! -e "$root/lib/systemd/system/ipvstune-netns.path"
expect deb-netns-unit-follows grep -qx 'ExecStart=/usr/sbin/ipvstune apply --all-netns --follow' "$root/lib/systemd/system/ipvstune-netns.service"
expect deb-netns-unit-is-notify grep -qx 'Type=notify' "$root/lib/systemd/system/ipvstune-netns.service"
expect deb-enables-netns-unit test -L "$root/etc/systemd/system/multi-user.target.wants/ipvstune-netns.service"
expect deb-installs-watch-unit grep -qx 'ExecStart=/usr/sbin/ipvstune watch --all-netns --summary-every 1h' "$root/lib/systemd/system/ipvstune-watch.service"
expect deb-leaves-watch-unit-disabled test ! -e "$root/etc/systemd/system/multi-user.target.wants/ipvstune-watch.service"
expect deb-installs-metrics-units grep -qx 'ExecStart=/usr/sbin/ipvstune metrics --all-netns --textfile /var/lib/prometheus/node-exporter/ipvstune.prom' "$root/lib/systemd/system/ipvstune-metrics.service"
expect deb-installs-metrics-timer test -f "$root/lib/systemd/system/ipvstune-metrics.timer"
expect deb-leaves-metrics-timer-disabled sh -c "! find '$root/etc/systemd' -name 'ipvstune-metrics.*' | grep -q ."
expect deb-installs-alert-rules test -f "$root/usr/share/ipvstune/ipvstune-alerts.yml"

# An edited config survives reinstalling the package; an upgrade from a version with
# ipvstune-netns.path (its symlink left enabled) removes it and enables the follower.
echo "tcp = 7200" >> "$root/etc/ipvstune.conf"
rm "$root/etc/systemd/system/multi-user.target.wants/ipvstune-netns.service"
ln -s /lib/systemd/system/ipvstune-netns.path "$root/etc/systemd/system/multi-user.target.wants/ipvstune-netns.path"
expect deb-reinstalls sh -c "dpkg --root='$root' --force-script-chrootless --log=/dev/null --force-confold -i '$deb'"
expect deb-keeps-edited-config grep -qx 'tcp = 7200' "$root/etc/ipvstune.conf"
expect deb-upgrade-removes-path-unit test ! -e "$root/etc/systemd/system/multi-user.target.wants/ipvstune-netns.path" -a ! -L "$root/etc/systemd/system/multi-user.target.wants/ipvstune-netns.path"
expect deb-upgrade-enables-netns-unit test -L "$root/etc/systemd/system/multi-user.target.wants/ipvstune-netns.service"

expect deb-removes dpkg_root -r ipvstune
expect deb-remove-takes-binary test ! -e "$root/usr/sbin/ipvstune"
expect deb-remove-disables-unit test ! -e "$root/etc/systemd/system/multi-user.target.wants/ipvstune.service"
expect deb-remove-disables-netns-unit test ! -e "$root/etc/systemd/system/multi-user.target.wants/ipvstune-netns.service"
expect deb-remove-takes-watch-unit test ! -e "$root/lib/systemd/system/ipvstune-watch.service"
expect deb-remove-takes-metrics-units test ! -e "$root/lib/systemd/system/ipvstune-metrics.service" -a ! -e "$root/lib/systemd/system/ipvstune-metrics.timer"
expect deb-remove-keeps-config test -f "$root/etc/ipvstune.conf"
expect deb-purges dpkg_root -P ipvstune
expect deb-purge-takes-config test ! -e "$root/etc/ipvstune.conf"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
