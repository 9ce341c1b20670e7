#!/usr/bin/env bash
# The release tarball: SHA256SUMS verifies it, it holds every file of the list, and its
# install.sh installs into a scratch prefix a working ipvstune, saying what it did, and
# removes it again.
set -euo pipefail
cd "$(dirname "$0")/../.."
tarball=${1:?usage: test-dist.sh TARBALL}
dir=$(cd "$(dirname "$tarball")" && pwd)
passed=0 failed=0
expect() { local name=$1; shift; if out=$("$@" 2>&1); then echo "PASS $name"; passed=$((passed + 1)); else echo "FAIL $name"; printf '    %s\n' "$out"; failed=$((failed + 1)); fi; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect dist-sha256sums-verify sh -c "cd '$dir' && sha256sum -c SHA256SUMS"
expect dist-unpacks tar -xzf "$tarball" -C "$tmp"
top=$tmp/$(basename "$tarball" .tar.gz)
expect dist-has-readme-license-installer test -f "$top/README.md" -a -f "$top/LICENSE" -a -x "$top/install.sh" -a -f "$top/files"
expect dist-has-every-listed-file sh -c "grep -v '^[[:space:]]*\(#\|\$\)' packaging/files | awk '{ print \$2 }' | (cd '$top' && xargs ls >/dev/null)"
expect dist-owned-by-root sh -c "! tar -tvzf '$tarball' | awk '{ print \$2 }' | grep -vx 0/0"
expect dist-binary-is-static sh -c "ldd '$top/ipvstune' 2>&1 | grep -q 'not a dynamic executable'"

dest=$tmp/root
expect dist-install-sh "$top/install.sh" --prefix /opt/ipvstune --destdir "$dest"
expect dist-install-says-what-it-did sh -c "'$top/install.sh' --prefix /opt/ipvstune --destdir '$tmp/again' | grep -qx 'installed $tmp/again/opt/ipvstune/sbin/ipvstune'"
expect dist-installed-binary-runs sh -c "'$dest/opt/ipvstune/sbin/ipvstune' --version | grep -qx '$(sed -n 's/^ *static let version = "\(.*\)"$/\1/p' Sources/ipvstune/IPVSTuneCommand.swift)'"
expect dist-unit-runs-installed-binary grep -qx 'ExecStart=/opt/ipvstune/sbin/ipvstune apply' "$dest/opt/ipvstune/lib/systemd/system/ipvstune.service"
expect dist-installs-config cmp "$top/ipvstune.conf.example" "$dest/etc/ipvstune.conf"
expect dist-installs-man-page test -f "$dest/opt/ipvstune/share/man/man8/ipvstune.8"
expect dist-rejects-relative-prefix sh -c "out=\$('$top/install.sh' --prefix opt 2>&1); [ \$? = 64 ] && echo \"\$out\" | grep -q '^install.sh: the prefix .opt. is not an absolute path: '"
expect dist-uninstall-sh "$top/install.sh" --prefix /opt/ipvstune --destdir "$dest" --uninstall
expect dist-uninstall-leaves-no-file sh -c "[ -z \"\$(find '$dest' -type f)\" ]"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
