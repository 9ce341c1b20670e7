#!/usr/bin/env bash
# The alert rules against Debian's promtool (package prometheus, fetched with apt-get
# download into the VM cache and unpacked, never installed): promtool check rules, then
# promtool test rules over alerts-test.yml.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../vm/host.sh"

promtool=$(debian_program prometheus /usr/bin/promtool)
echo "metrics: $("$promtool" --version 2>&1 | head -1)"
"$promtool" check rules "$top/packaging/ipvstune-alerts.yml"
(cd "$here" && "$promtool" test rules alerts-test.yml)
