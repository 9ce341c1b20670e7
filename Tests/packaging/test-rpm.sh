#!/usr/bin/env bash
# The RPM, checked without booting (the boot test installs, upgrades and erases it in a
# systemd guest): the same files as make install puts under /usr, the config a noreplace
# config file, Fedora's systemd scriptlets, and rpmlint without an error.
set -euo pipefail
cd "$(dirname "$0")/../.."
rpm=${1:?usage: test-rpm.sh RPM}
passed=0 failed=0
expect() { local name=$1; shift; if out=$("$@" 2>&1); then echo "PASS $name"; passed=$((passed + 1)); else echo "FAIL $name"; printf '    %s\n' "$out"; failed=$((failed + 1)); fi; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Every file of the list, at the path install.sh gives it (rpm gzips the man page).
PREFIX=/usr UNITDIR=/usr/lib/systemd/system PRESETDIR=/usr/lib/systemd/system-preset \
    packaging/install.sh --list | awk '{ print $1 }' | sed 's|/man8/ipvstune.8$|/man8/ipvstune.8.gz|' | sort > "$tmp/listed"
rpm -qlp "$rpm" | grep -v '^/usr/share/\(doc\|licenses\)/' | grep -vx /usr/share/ipvstune | sort > "$tmp/packaged"
expect rpm-has-the-listed-files diff "$tmp/listed" "$tmp/packaged"
expect rpm-units-in-usr-lib sh -c "rpm -qlp '$rpm' | grep -qx /usr/lib/systemd/system/ipvstune.service"
expect rpm-config-noreplace sh -c "[ \"\$(rpm -qp --configfiles '$rpm')\" = /etc/ipvstune.conf ] && rpm -qp --qf '[%{FILENAMES} %{FILEFLAGS:fflags}\n]' '$rpm' | grep -qx '/etc/ipvstune.conf cn'"
expect rpm-has-no-requires-but-sh sh -c "! rpm -qp --requires '$rpm' | grep -v '^/bin/sh\$\|^rpmlib(\|^config(ipvstune)'"
expect rpm-preset-file sh -c "rpm2cpio '$rpm' | cpio -i --quiet --to-stdout ./usr/lib/systemd/system-preset/80-ipvstune.preset | grep -v '^#' | sort | tr '\n' ' ' | grep -qx 'disable ipvstune-metrics.service disable ipvstune-metrics.timer disable ipvstune-watch.service enable ipvstune-netns.service enable ipvstune.service '"
expect rpm-unit-runs-installed-binary sh -c "rpm2cpio '$rpm' | cpio -i --quiet --to-stdout ./usr/lib/systemd/system/ipvstune.service | grep -qx 'ExecStart=/usr/sbin/ipvstune apply'"
rpm -qp --scripts "$rpm" > "$tmp/scripts"
expect rpm-post-presets-at-first-install-only grep -A2 -x 'if \[ \$1 -eq 1 \]; then' "$tmp/scripts"
expect rpm-post-presets-its-own-units sh -c "grep -q 'systemctl --no-reload preset ipvstune.service ' '$tmp/scripts' && ! grep -q 'preset-all' '$tmp/scripts'"
expect rpm-post-starts-nothing sh -c "! sed -n '/^postinstall/,/^preuninstall/p' '$tmp/scripts' | grep -q 'systemctl.*\(start\|--now\)'"
expect rpm-preun-disables-on-erase sh -c "sed -n '/^preuninstall/,/^postuninstall/p' '$tmp/scripts' | grep -A2 -x 'if \[ \$1 -eq 0 \]; then' | grep -q 'disable --now ipvstune.service'"
expect rpm-postun-reloads grep -q 'systemctl daemon-reload' "$tmp/scripts"
expect rpm-postun-restarts-services-not-boot-unit sh -c "line=\$(grep 'try-restart' '$tmp/scripts'); echo \"\$line\" | grep -q 'ipvstune-watch.service' && echo \"\$line\" | grep -q 'ipvstune-netns.service' && ! echo \"\$line\" | grep -q 'ipvstune\.service'"
expect rpm-binary-is-static sh -c "rpm2cpio '$rpm' | cpio -i --quiet --to-stdout ./usr/sbin/ipvstune > '$tmp/bin' && chmod +x '$tmp/bin' && ldd '$tmp/bin' 2>&1 | grep -q 'not a dynamic executable' && '$tmp/bin' --version"
expect rpmlint-no-error sh -c "out=\$(rpmlint -c packaging/rpm/rpmlintrc '$rpm' 2>&1); echo \"\$out\" | grep ': [EW]: '; ! echo \"\$out\" | grep -q ': E: '"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
