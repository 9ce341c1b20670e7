#!/usr/bin/env bash
# make install into a scratch DESTDIR puts every file where it belongs, with the unit's
# ExecStart pointing at the installed binary, never replaces an existing config, and
# make uninstall takes everything away again (the config only while it is the example).
set -euo pipefail
cd "$(dirname "$0")/../.."
passed=0 failed=0
expect() { local name=$1; shift; if out=$("$@" 2>&1); then echo "PASS $name"; passed=$((passed + 1)); else echo "FAIL $name"; printf '    %s\n' "$out"; failed=$((failed + 1)); fi; }
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
install_to() { make --no-print-directory -s install DESTDIR="$dest" PREFIX=/opt/ipvstune "$@" >/dev/null; }

expect install install_to
expect install-binary test -x "$dest/opt/ipvstune/sbin/ipvstune"
expect install-unit-execstart grep -qx 'ExecStart=/opt/ipvstune/sbin/ipvstune apply' "$dest/opt/ipvstune/lib/systemd/system/ipvstune.service"
expect install-netns-unit grep -qx 'ExecStart=/opt/ipvstune/sbin/ipvstune apply --all-netns --follow' "$dest/opt/ipvstune/lib/systemd/system/ipvstune-netns.service"
expect install-no-path-unit test ! -e "$dest/opt/ipvstune/lib/systemd/system/ipvstune-netns.path"
expect install-watch-unit grep -qx 'ExecStart=/opt/ipvstune/sbin/ipvstune watch --all-netns --summary-every 1h' "$dest/opt/ipvstune/lib/systemd/system/ipvstune-watch.service"
expect install-metrics-unit grep -qx 'ExecStart=/opt/ipvstune/sbin/ipvstune metrics --all-netns --textfile /var/lib/prometheus/node-exporter/ipvstune.prom' "$dest/opt/ipvstune/lib/systemd/system/ipvstune-metrics.service"
expect install-metrics-timer grep -qx 'OnUnitActiveSec=1min' "$dest/opt/ipvstune/lib/systemd/system/ipvstune-metrics.timer"
expect install-alert-rules cmp -s packaging/ipvstune-alerts.yml "$dest/opt/ipvstune/share/ipvstune/ipvstune-alerts.yml"
expect install-apply-state-directory grep -qx 'StateDirectory=ipvstune' "$dest/opt/ipvstune/lib/systemd/system/ipvstune.service"
expect install-man test -f "$dest/opt/ipvstune/share/man/man8/ipvstune.8"
expect install-completions test -f "$dest/opt/ipvstune/share/bash-completion/completions/ipvstune" -a -f "$dest/opt/ipvstune/share/zsh/site-functions/_ipvstune" -a -f "$dest/opt/ipvstune/share/fish/vendor_completions.d/ipvstune.fish"
expect install-example-config cmp -s packaging/ipvstune.conf.example "$dest/etc/ipvstune.conf"
echo "tcp = 2h" > "$dest/etc/ipvstune.conf"
expect reinstall install_to
expect reinstall-keeps-config grep -qx 'tcp = 2h' "$dest/etc/ipvstune.conf"
expect uninstall make --no-print-directory -s uninstall DESTDIR="$dest" PREFIX=/opt/ipvstune
expect uninstall-keeps-edited-config test -f "$dest/etc/ipvstune.conf"
expect uninstall-leaves-no-other-file sh -c "[ -z \"\$(find '$dest' -type f ! -path '$dest/etc/ipvstune.conf')\" ]"
rm "$dest/etc/ipvstune.conf"
install_to
make --no-print-directory -s uninstall DESTDIR="$dest" PREFIX=/opt/ipvstune >/dev/null
expect uninstall-removes-untouched-example sh -c "[ -z \"\$(find '$dest' -type f)\" ]"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
