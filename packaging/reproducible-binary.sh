#!/usr/bin/env bash
# reproducible-binary.sh IN OUT: the stripped release binary, the same bytes for the same
# commit in any folder. swiftc writes into every object a .swift_modhash, an MD5 of the
# object's LLVM module, which names the object's own path; it serves only the compiler's
# incremental builds (nothing reads it at run time), so it is zeroed here. The GNU build-id,
# which the linker computed over those hashes, is then computed again, as the SHA-1 of the
# file with its own value zeroed.
set -euo pipefail
in=${1:?usage: reproducible-binary.sh IN OUT} out=${2:?usage: reproducible-binary.sh IN OUT}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
strip -o "$tmp/bin" "$in"
section() { objcopy -O binary --only-section="$1" "$tmp/bin" "$tmp/$2"; }
if section .swift_modhash modhash && [ -s "$tmp/modhash" ]; then
    head -c "$(stat -c %s "$tmp/modhash")" /dev/zero > "$tmp/modhash.zero"
    objcopy --update-section .swift_modhash="$tmp/modhash.zero" "$tmp/bin"
fi
section .note.gnu.build-id note
# The note: namesz, descsz and type (4 bytes each), "GNU\0", then the 20-byte SHA-1.
[ "$(stat -c %s "$tmp/note")" = 36 ] || { echo "reproducible-binary.sh: unexpected build-id note in $in: link with a SHA-1 build-id" >&2; exit 1; }
{ head -c 16 "$tmp/note"; head -c 20 /dev/zero; } > "$tmp/note.zero"
objcopy --update-section .note.gnu.build-id="$tmp/note.zero" "$tmp/bin"
id=$(sha1sum "$tmp/bin" | cut -c1-40)
{ head -c 16 "$tmp/note"; printf "$(echo "$id" | sed 's/../\\x&/g')"; } > "$tmp/note.new"
objcopy --update-section .note.gnu.build-id="$tmp/note.new" "$tmp/bin"
mv "$tmp/bin" "$out"
