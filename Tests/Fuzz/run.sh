#!/usr/bin/env bash
# Builds and runs the libFuzzer targets of ipvstune's parsers.
#
#   Tests/Fuzz/run.sh build                  build the four fuzzers (ASan + libFuzzer, release)
#   Tests/Fuzz/run.sh fuzz [TARGET...]       fuzz each target for RUNS executions (default 1000000)
#   Tests/Fuzz/run.sh replay [TARGET...]     run every file of Corpus/TARGET once, no fuzzing
#   Tests/Fuzz/run.sh replay TARGET DIR...   the same for the files in DIR (a crasher folder, say)
#   Tests/Fuzz/run.sh coverage [TARGET...]   edges covered per source file by the fuzzed corpus
#
# TARGET is conns, config, duration or netlink; none means all four. Environment: RUNS, JOBS
# (fuzz that many targets at once, default 1), SCRATCH (build folder, default .build-fuzz at the
# repository root), SKIP_BUILD=1 (use the fuzzers already built), FUZZ_ARGS (more libFuzzer
# options, such as -fork=2 for two processes), SWIFT.
#
# Fuzzing starts from Corpus/TARGET and keeps what it learns in SCRATCH/corpus/TARGET, so the
# committed seeds stay small. A crash or a broken property leaves its input in
# SCRATCH/artifacts/TARGET/ and fuzzing goes on; copy the input to Corpus/TARGET/crash-WHAT so
# that `swift test` (FuzzRegressionTests) replays it from then on.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
scratch=${SCRATCH:-$root/.build-fuzz}
swift=${SWIFT:-swift}
runs=${RUNS:-1000000}
jobs=${JOBS:-1}
all=(conns config duration netlink)
# A broken property is a fatalError: let libFuzzer catch the trap and save the input. Swift's own
# crash backtracer would race ASan (and can hang) instead.
export SWIFT_BACKTRACE=enable=no

# Longest input per target. conns: lines longer than the small read buffers, and tables short
# enough for hundreds of runs a second (longer ones mostly repeat rows); config: lines past the
# 8192-byte line limit; a duration or a netlink reply is short.
max_len() {
    case $1 in
        conns) echo 2048 ;;
        config) echo 12288 ;;
        duration) echo 64 ;;
        netlink) echo 2048 ;;
    esac
}

binary() {
    local name=${1^}
    echo "$scratch/release/Fuzz$name"
}

build() {
    [ -z "${SKIP_BUILD:-}" ] || return 0
    # -enable-testing: the config target checks ConfigParser, which is internal to IPVSTune.
    "$swift" build -c release --package-path "$here" --scratch-path "$scratch" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -enable-testing \
        -Xcc -fsanitize=fuzzer-no-link,address
}

check_target() {
    case " ${all[*]} " in *" $1 "*) ;; *) echo "run.sh: unknown target '$1': use one of ${all[*]}" >&2; exit 64 ;; esac
}

fuzz_one() {
    local target=$1
    local work=$scratch/corpus/$target artifacts=$scratch/artifacts/$target/ started=$scratch/.fuzz-$target.started
    mkdir -p "$work" "$artifacts"
    touch "$started"
    # Fork mode with -ignore_crashes: one broken property does not end the run, every distinct
    # crasher is kept, and -runs still bounds the total number of executions.
    # shellcheck disable=SC2086
    "$(binary "$target")" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -runs="$runs" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=4096 \
        -dict="$here/Dictionaries/$target.dict" -artifact_prefix="$artifacts" \
        ${FUZZ_ARGS:-} "$work" "$here/Corpus/$target" >"$scratch/fuzz-$target.log" 2>&1 || true
    grep -E '^#[0-9]+: cov' "$scratch/fuzz-$target.log" | tail -1
    # The children's logs are gone: replay each crasher of this run once to say what broke.
    local crashers=() file
    while IFS= read -r -d '' file; do crashers+=("$file"); done < <(find "$artifacts" -type f -newer "$started" -print0)
    [ ${#crashers[@]} -gt 0 ] || return 0
    echo "fuzz $target: ${#crashers[@]} crashers in $artifacts (log: $scratch/fuzz-$target.log)"
    for file in "${crashers[@]}"; do
        echo "  $file"
        "$(binary "$target")" -runs=1 "$file" 2>&1 | grep -m1 -E 'property:|ERROR: AddressSanitizer|Fatal error' | cut -c1-300 | sed 's/^/    /' || true
    done
    return 1
}

replay() {
    local target=$1; shift
    local folders=("$@")
    [ ${#folders[@]} -gt 0 ] || folders=("$here/Corpus/$target")
    local files=()
    for folder in "${folders[@]}"; do
        if [ -d "$folder" ]; then
            while IFS= read -r -d '' file; do files+=("$file"); done < <(find "$folder" -type f ! -name '.*' -print0 | sort -z)
        else
            files+=("$folder")
        fi
    done
    echo "replay $target: ${#files[@]} files"
    [ ${#files[@]} -eq 0 ] || "$(binary "$target")" -runs=1 "${files[@]}" >"$scratch/replay-$target.log" 2>&1 || {
        grep -E 'property|ERROR|SUMMARY|Running:' "$scratch/replay-$target.log" | tail -20
        echo "replay $target: FAILED (log: $scratch/replay-$target.log)"
        return 1
    }
}

# The sources each target is about, for the coverage report.
sources() {
    case $1 in
        conns) echo 'Sources/IPVSTune/Conns/' ;;
        config) echo 'Sources/IPVSTune/Config/Config(Parser|Rewriter|Text|LineCheck|Values|Key)\.swift|Duration\.swift' ;;
        duration) echo 'Sources/IPVSTune/Duration\.swift' ;;
        netlink) echo 'Sources/CIPVS/' ;;
    esac
}

coverage() {
    local target=$1 inputs=$scratch/coverage/$target
    rm -rf "$inputs" && mkdir -p "$inputs" "$scratch/corpus/$target"
    # Known crashers would stop the run before the report.
    find "$scratch/corpus/$target" "$here/Corpus/$target" -type f ! -name 'crash-*' -exec cp -t "$inputs" {} +
    echo "coverage $target: $(find "$inputs" -type f | wc -l) inputs"
    "$(binary "$target")" -runs=0 -print_coverage=1 "$inputs" 2>&1 | awk -v root="$root/" -v want="$(sources "$target")" '
        /COVERED_FUNC: / {
            split($5, edges, "/"); file = $NF; sub(/:[0-9]+$/, "", file); sub(root, "", file)
            if (file ~ want) { hit[file] += edges[1]; all[file] += edges[2] }
        }
        END { for (file in all) if (all[file] > 0) printf "%5d/%-5d %3d%%  %s\n", hit[file], all[file], 100 * hit[file] / all[file], file }' | sort -k3
}

command=${1:-}
[ $# -gt 0 ] && shift
case $command in
    build)
        build
        ;;
    fuzz)
        targets=("$@")
        [ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
        for target in "${targets[@]}"; do check_target "$target"; done
        build
        status=0
        if [ "$jobs" -le 1 ]; then
            for target in "${targets[@]}"; do echo "== fuzz $target: $runs runs"; fuzz_one "$target" || status=1; done
        else
            # Each target in the background, at most JOBS at once; logs stay per target.
            pids=()
            for target in "${targets[@]}"; do
                while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || status=1; done
                (fuzz_one "$target" >"$scratch/fuzz-$target.summary" 2>&1) &
                pids+=($!)
            done
            for pid in "${pids[@]}"; do wait "$pid" || status=1; done
            for target in "${targets[@]}"; do echo "== fuzz $target: $runs runs"; cat "$scratch/fuzz-$target.summary"; done
        fi
        exit $status
        ;;
    coverage)
        targets=("$@")
        [ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
        for target in "${targets[@]}"; do check_target "$target"; done
        build
        for target in "${targets[@]}"; do coverage "$target"; done
        ;;
    replay)
        if [ $# -ge 1 ]; then
            check_target "$1"
            build
            replay "$@"
        else
            build
            status=0
            for target in "${all[@]}"; do replay "$target" || status=1; done
            exit $status
        fi
        ;;
    *)
        sed -n '2,/^set /{/^#/p}' "$0" | sed 's/^# \{0,1\}//'
        [ -z "$command" ] || exit 64
        ;;
esac
