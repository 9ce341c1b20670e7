#!/usr/bin/env bash
# The real-kernel harness: boots a stock Debian kernel with IPVS under qemu (TCG) from an
# initramfs holding busybox, the ip_vs modules, ipvsadm (the reference), ipvstune and the
# guest scripts, runs one job inside, and reports.
#
#   vm.sh kernel [KERNEL]             fetch and unpack the kernel into the cache
#   vm.sh prepare [KERNEL...]         fetch those kernels, build the tools, fetch node_exporter
#                                     and promtool: then runs side by side find all in the cache
#   vm.sh run test [PATTERN]          run the scenarios (all, or names containing PATTERN)
#   vm.sh run demo | bench [PATTERN]  the operator demo, the benchmarks
#
# Environment: KERNEL (5.10, 6.1, 6.12 or 7.x: Debian 11's, 12's, 13's or sid's kernel;
# default 6.1), IPVSTUNE_BIN (the static binary), VM_CACHE (default .cache/vm), VM_MIRROR
# (default http://deb.debian.org/debian), VM_TIMEOUT (seconds before a hung guest is
# killed), VM_MEM (MiB), VM_LOG (console log, default $VM_CACHE/JOB-KVER.log).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/host.sh"
bin=${IPVSTUNE_BIN:-$top/.build/ipvstune}

# Modules the guest may load, with everything they depend on.
modules="ip_vs ip_vs_rr ip_vs_wlc ip_vs_sh ip_vs_pe_sip dummy veth sch_ingress cls_u32 act_skbedit"

# Static helper programs for the scenarios and benchmarks, built from Tests/vm/tools.
build_tools() {
    local out=$cache/tools src name
    mkdir -p "$out"
    for src in "$here"/tools/*.c; do
        [ -e "$src" ] || continue
        name=$(basename "$src" .c)
        if [ ! -x "$out/$name" ] || [ "$src" -nt "$out/$name" ] || [ "$top/Sources/CIPVS/cipvs.c" -nt "$out/$name" ] || [ "$top/Sources/CIPVS/dumps.c" -nt "$out/$name" ]; then
            # Built aside and renamed into place: a run beside this one copies whole files only.
            gcc -O2 -Wall -Wextra -Werror -static -o "$out/.$name.$$" "$src" "$top"/Sources/CIPVS/*.c \
                -I"$top/Sources/CIPVS/include" $(pkg-config --cflags libnl-genl-3.0) \
                -lnl-genl-3 -lnl-3 -lpthread 2>/dev/null || die "cannot build tool $name"
            mv -f "$out/.$name.$$" "$out/$name"
        fi
    done
}

# node_exporter (Debian's prometheus-node-exporter, about 5 MB compressed) for the metrics
# scenarios: staged only when the run includes one of them.
stage_metrics_tools() {
    local stage=$1 only=$2 name
    for name in "$here"/scenarios/metrics-*.sh; do
        case $(basename "$name") in *"$only"*) ;; *) continue ;; esac
        name=$(debian_program prometheus-node-exporter /usr/bin/prometheus-node-exporter)
        stage_program "$stage" "$name"  # for the libraries it needs
        # At a path of its own: the cache's path may lie under the guest's /tmp, a tmpfs there.
        mv "$stage$name" "$stage/usr/bin/prometheus-node-exporter"
        return
    done
}

# check_expositions LOG: promtool check metrics (from Debian's prometheus package, run on the
# host) over every text the guest printed between "@@EXPOSITION NAME" and "@@END"; each
# verdict is added to LOG as @@PASS or @@FAIL, and printed.
check_expositions() {
    local log=$1 promtool name file verdict
    grep -q '^@@EXPOSITION ' "$log" || return 0
    promtool=$(debian_program prometheus /usr/bin/promtool)
    file=$(mktemp)
    for name in $(sed -n 's/^@@EXPOSITION //p' "$log" | tr -d '\r'); do
        awk -v name="$name" '$0 == "@@EXPOSITION " name { on = 1; next } on && /^@@END/ { exit } on && sub(/^@@E /, "")' "$log" > "$file"
        if [ -s "$file" ] && verdict=$("$promtool" check metrics < "$file" 2>&1); then
            echo "@@PASS promtool-$name" | tee -a "$log" | sed 's/^@@//'
        else
            { echo "@@FAIL promtool-$name"; printf '%s\n' "${verdict:-empty}" | sed 's/^/    /'; } | tee -a "$log" | sed 's/^@@//'
        fi
    done
    rm -f "$file"
}

initramfs() {
    local out=$1 stage
    stage=$(mktemp -d "$cache/stage.XXXXXX")  # several runs may share the cache
    chmod 0755 "$stage"
    mkdir -p "$stage"/{sbin,usr/bin,usr/sbin,etc,proc,sys,dev,run,tmp,root,home/op,lib/modules,var}
    ln -s /run "$stage/var/run"
    stage_busybox "$stage"
    ln -s /bin/modprobe "$stage/sbin/modprobe"
    stage_modules "$stage" $modules
    stage_program "$stage" "$(command -v ipvsadm)"
    stage_program "$stage" /usr/sbin/ip  # iproute2: veth pairs and addresses for test hosts
    stage_program "$stage" /usr/sbin/tc  # iproute2: firewall marks on packets reaching the director
    install -m 0755 "$bin" "$stage/usr/sbin/ipvstune"
    [ "$job" != test ] || stage_metrics_tools "$stage" "$only"
    build_tools
    cp "$cache"/tools/* "$stage/usr/bin/" 2>/dev/null || true
    printf 'root:x:0:0:root:/root:/bin/sh\nop:x:1000:1000:operator:/home/op:/bin/sh\n' > "$stage/etc/passwd"
    printf 'root:x:0:\nop:x:1000:\n' > "$stage/etc/group"
    chown 1000:1000 "$stage/home/op"
    mkdir -p "$stage/guest"
    cp -r "$here"/guest/. "$stage/guest/"
    cp -r "$here"/scenarios "$here"/bench "$stage/guest/"
    cp "$top/README.md" "$stage/guest/"  # for the readme scenario, which runs its examples
    mv "$stage/guest/init" "$stage/init"
    chmod +x "$stage/init"
    initrd_from "$stage" "$out"
    rm -rf "$stage"
}

run() {
    local job=$1 only=${2:-} initrd log status=0
    [ -x "$bin" ] || die "no ipvstune binary at $bin: run 'make' first"
    command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing: run 'make deps'"
    kernel
    mkdir -p "$cache"
    initrd=$(mktemp "$cache/initrd-$job.XXXXXX")
    log=${VM_LOG:-$cache/$job-$kver.log}
    initramfs "$initrd"
    boot "$job" "$initrd" "$log" "quiet loglevel=3 ipvstune.job=$job ipvstune.only=$only" \
        | filter "$job" || status=$?
    rm -f "$initrd"
    [ "$job" = test ] && check_expositions "$log"
    report "$job" "$log" "$status"
}

case ${1:-} in
    kernel) kernel "${2:-}"; echo "$kroot" ;;
    prepare)
        shift
        for k in "${@:-${KERNEL:-6.1}}"; do kernel "$k"; done
        build_tools
        debian_program prometheus-node-exporter /usr/bin/prometheus-node-exporter >/dev/null
        debian_program prometheus /usr/bin/promtool >/dev/null ;;
    run) shift; [ $# -ge 1 ] || die "usage: vm.sh run test|demo|bench [PATTERN]"; run "$@" ;;
    *) die "usage: vm.sh kernel [KERNEL] | prepare [KERNEL...] | run test|demo|bench [PATTERN]" ;;
esac
