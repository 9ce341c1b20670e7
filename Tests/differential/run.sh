#!/usr/bin/env bash
# Runs the differential tests: the binary built from BASE (the release before the one-house
# rework, by default) against the current build, over every input they know.
#
#   Tests/differential/run.sh            BASE from the environment, default 28b57fa
#
# The old binary is built once per commit into .cache/differential/COMMIT (a debug build: the
# output is the same, and it builds faster). NEW is .build/ipvstune (make build).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
base=$(git -C "$top" rev-parse --verify "${BASE:-28b57fa}^{commit}")
new=${IPVSTUNE_BIN:-$top/.build/ipvstune}
cache=$top/.cache/differential/$base
old=$cache/ipvstune

[ -x "$new" ] || { echo "differential: no $new: run 'make build' first" >&2; exit 1; }
if [ ! -x "$old" ]; then
    echo "differential: building the old binary from ${base:0:12}"
    rm -rf "$cache"
    mkdir -p "$cache/src"
    git -C "$top" archive "$base" | tar -x -C "$cache/src"
    bin=$(cd "$cache/src" && swift build --product ipvstune --show-bin-path)
    (cd "$cache/src" && swift build --product ipvstune >/dev/null)
    cp "$bin/ipvstune" "$old"
    rm -rf "$cache/src"
fi

status=0
for script in "$here"/cli.sh "$here"/conns.sh; do
    [ -e "$script" ] || continue
    echo "differential: $(basename "$script" .sh): ${base:0:12} against this build"
    "$script" "$old" "$new" || status=1
done
exit $status
