#!/usr/bin/env bash
# The unit tests under AddressSanitizer, with UndefinedBehaviorSanitizer in the C shim
# (Swift has no UBSan; its own overflow and bounds checks trap in these debug builds),
# then the ASan-built CLI over every command that runs without a kernel, with
# LeakSanitizer on. (Under XCTest, leak reports are the framework's own objects alive at
# exit, so the unit-test run leaves leak detection to the CLI runs.)
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch=.build-asan
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

ASAN_OPTIONS=detect_leaks=0 swift test --sanitize=address -Xcc -fsanitize=undefined \
    -Xcc -fno-sanitize-recover=undefined --scratch-path "$scratch"

bin=$(swift build --sanitize=address -Xcc -fsanitize=undefined --scratch-path "$scratch" --show-bin-path)/ipvstune
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/conngen" Tests/vm/tools/conngen.c
"$work/conngen" 50000 > "$work/table"
printf 'tcp = 2h\n# comment\nudp = 5m\n' > "$work/good.conf"
printf 'tcp = 2h\nudp = banana\n' > "$work/bad.conf"
head -c 100000 /dev/urandom > "$work/random"

passed=0 failed=0
check() {
    local name=$1; shift
    if "$bin" "$@" > /dev/null 2> "$work/stderr" || true; grep -q 'Sanitizer' "$work/stderr"; then
        echo "FAIL sanitize: $name"; sed 's/^/    /' "$work/stderr" | head -40; failed=$((failed + 1))
    else
        echo "PASS sanitize: $name"; passed=$((passed + 1))
    fi
}
check "conns list" conns --file "$work/table"
check "conns json" conns --file "$work/table" --json
check "conns summary" conns --file "$work/table" --summary --json
check "conns sort and filters" conns --file "$work/table" --sort expire --state established,time_wait --client 10.100.0.0/16 --no-templates
check "conns random bytes" conns --file "$work/random" --summary
check "show-config" show-config --config "$work/good.conf" --json
check "show-config with problems" show-config --config "$work/bad.conf"
check "save to a missing folder" save --config "$work/nonexistent/x.conf"
check "usage errors" set 1.5 0 0
check "help" --help
check "get without IPVS" get
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
