#!/usr/bin/env bash
# make dist of this commit in two fresh clones at different paths must give the same bytes.
# On a difference it names the files that differ and, for the binary, the ELF sections of the
# differing bytes. Two release builds from scratch: minutes, so outside make test
# (make test-reproducible).
set -euo pipefail
cd "$(dirname "$0")/../.."
commit=$(git rev-parse HEAD)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sums=()
for dir in "$work/a/ipvstune" "$work/a-longer-path/src/ipvstune"; do
    mkdir -p "$(dirname "$dir")"
    git clone -q "$PWD" "$dir"
    git -C "$dir" checkout -q "$commit"
    make -C "$dir" --no-print-directory dist > "$dir.log" 2>&1 || { tail -20 "$dir.log"; exit 1; }
    sums+=("$(cat "$dir/.build/dist/SHA256SUMS")")
    echo "$dir: ${sums[-1]}"
done
[ "${sums[0]}" = "${sums[1]}" ] && { echo "PASS dist-reproducible"; exit 0; }
echo "FAIL dist-reproducible"
a=$work/a/ipvstune/.build/dist b=$work/a-longer-path/src/ipvstune/.build/dist
name=$(basename "$a"/*.tar.gz .tar.gz)
diff -rq "$a/$name" "$b/$name" || true
bin_a=$a/$name/ipvstune bin_b=$b/$name/ipvstune
if ! cmp -s "$bin_a" "$bin_b"; then
    echo "differing bytes of the binary, by section:"
    readelf -SW "$bin_a" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) \+[A-Za-z_0-9]\+ \+[0-9a-f]\+ \([0-9a-f]\+\) \([0-9a-f]\+\) .*/\1 \2 \3/p' \
        | while read -r n o s; do [ -n "$s" ] && echo "$n $((16#$o)) $((16#$s))"; done > "$work/sections"
    cmp -l "$bin_a" "$bin_b" | awk 'NR == FNR { name[NR] = $1; off[NR] = $2; size[NR] = $3; n = NR; next }
        { o = $1 - 1; s = "outside any section"; for (i = 1; i <= n; i++) if (o >= off[i] && o < off[i] + size[i]) { s = name[i]; break }; count[s]++ }
        END { for (s in count) print "    " s ": " count[s] " bytes" }' "$work/sections" -
fi
exit 1
