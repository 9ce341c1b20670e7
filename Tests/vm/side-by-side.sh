#!/usr/bin/env bash
# side-by-side.sh COMMAND...: runs the commands (each one shell string) at the same time, as
# many at once as the machine has cores: under TCG a guest keeps one core busy, so
# independent VMs side by side take the time of the slowest instead of the sum. Each
# command's output is kept apart and printed whole, in the order given, once it ends; the
# exit status is 1 when any failed. The commands must not share anything they write.
set -uo pipefail
logs=$(mktemp -d /tmp/ipvstune-side-by-side.XXXXXX)
trap 'rm -rf "$logs"' EXIT
cores=$(nproc)
pids=()
status=0
report() {  # report INDEX: waits for that command, then prints its output
    local i=$1
    wait "${pids[$i]}" || status=1
    echo "== ${commands[$i]}"
    cat "$logs/$i"
}
commands=("$@")
for i in "${!commands[@]}"; do
    if [ "$i" -ge "$cores" ]; then report $((i - cores)); fi
    bash -c "${commands[$i]}" > "$logs/$i" 2>&1 &
    pids[$i]=$!
done
start=$(( ${#commands[@]} > cores ? ${#commands[@]} - cores : 0 ))
for ((i = start; i < ${#commands[@]}; i++)); do report "$i"; done
exit $status
