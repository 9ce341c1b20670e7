#!/usr/bin/env bash
# The real-kernel harness: boots a stock Debian kernel with IPVS under qemu (TCG) from an
# initramfs holding busybox, the ip_vs modules, ipvsadm (the reference), ipvstune and the
# guest scripts, runs one job inside, and reports.
#
#   vm.sh kernel                      fetch and unpack the kernel into the cache
#   vm.sh run test [PATTERN]          run the scenarios (all, or names matching PATTERN)
#   vm.sh run demo | bench            the operator demo, the benchmarks
#
# Environment: IPVSTUNE_BIN (the static binary), VM_CACHE (default .cache/vm),
# VM_TIMEOUT (seconds before a hung guest is killed), VM_MEM (MiB).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${VM_CACHE:-$top/.cache/vm}
bin=${IPVSTUNE_BIN:-$top/.build/ipvstune}
timeout_s=${VM_TIMEOUT:-900}
mem=${VM_MEM:-1024}

say() { printf 'vm: %s\n' "$*" >&2; }
die() { printf 'vm: %s\n' "$*" >&2; exit 1; }

# The kernel package linux-image-amd64 points at, unpacked with dpkg -x: never installed.
kernel() {
    local pkg
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    [ -n "$pkg" ] || die "cannot resolve linux-image-amd64: run 'apt-get update'"
    kver=${pkg#linux-image-}
    kroot=$cache/$kver
    if [ ! -f "$kroot/.unpacked" ]; then
        say "fetching $pkg into $cache"
        mkdir -p "$kroot/deb"
        (cd "$kroot/deb" && apt-get download "$pkg" >/dev/null 2>&1) || die "apt-get download $pkg failed"
        dpkg -x "$kroot"/deb/*.deb "$kroot/root"
        rm -rf "$kroot/deb"
        touch "$kroot/.unpacked"
    fi
}

# Modules the guest may load, with everything they depend on.
modules="ip_vs ip_vs_rr ip_vs_wlc ip_vs_sh ip_vs_pe_sip dummy veth"

stage_modules() {
    local stage=$1 mod dep
    local src=$kroot/root/lib/modules/$kver
    [ -f "$src/modules.dep" ] || depmod -b "$kroot/root" "$kver"
    for mod in $modules; do
        for dep in $(modprobe -d "$kroot/root" -S "$kver" --show-depends "$mod" | awk '$1 == "insmod" {print $2}'); do
            mkdir -p "$stage/$(dirname "${dep#"$kroot"/root/}")"
            cp -n "$dep" "$stage/${dep#"$kroot"/root/}"
        done
    done
    cp "$src/modules.order" "$src/modules.builtin" "$src/modules.builtin.modinfo" "$stage/lib/modules/$kver/"
    depmod -b "$stage" "$kver"
}

# A program and the shared libraries it needs, at the same paths as on the host.
stage_program() {
    local stage=$1 prog=$2 lib
    mkdir -p "$stage$(dirname "$prog")"
    cp "$prog" "$stage$prog"
    for lib in $(ldd "$prog" 2>/dev/null | grep -o '/[^ ]*' || true); do
        mkdir -p "$stage$(dirname "$lib")"
        cp -Ln "$lib" "$stage$lib"
    done
}

# Static helper programs for the scenarios and benchmarks, built from Tests/vm/tools.
build_tools() {
    local out=$cache/tools src
    mkdir -p "$out"
    for src in "$here"/tools/*.c; do
        [ -e "$src" ] || continue
        local name; name=$(basename "$src" .c)
        if [ ! -x "$out/$name" ] || [ "$src" -nt "$out/$name" ] || [ "$top/Sources/CIPVS/cipvs.c" -nt "$out/$name" ]; then
            gcc -O2 -Wall -Wextra -Werror -static -o "$out/$name" "$src" "$top/Sources/CIPVS/cipvs.c" \
                -I"$top/Sources/CIPVS/include" $(pkg-config --cflags libnl-genl-3.0) \
                -lnl-genl-3 -lnl-3 -lpthread 2>/dev/null || die "cannot build tool $name"
        fi
    done
}

initramfs() {
    local out=$1 stage
    stage=$(mktemp -d "$cache/stage.XXXXXX")  # several runs may share the cache
    chmod 0755 "$stage"
    mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,run,tmp,root,home/op,lib/modules,var}
    ln -s /run "$stage/var/run"
    cp /bin/busybox "$stage/bin/busybox"
    for applet in $(/bin/busybox --list); do
        [ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
    done
    ln -s /bin/modprobe "$stage/sbin/modprobe"
    stage_modules "$stage"
    stage_program "$stage" "$(command -v ipvsadm)"
    install -m 0755 "$bin" "$stage/usr/sbin/ipvstune"
    build_tools
    cp "$cache"/tools/* "$stage/usr/bin/" 2>/dev/null || true
    printf 'root:x:0:0:root:/root:/bin/sh\nop:x:1000:1000:operator:/home/op:/bin/sh\n' > "$stage/etc/passwd"
    printf 'root:x:0:\nop:x:1000:\n' > "$stage/etc/group"
    chown 1000:1000 "$stage/home/op"
    mkdir -p "$stage/guest"
    cp -r "$here"/guest/. "$stage/guest/"
    cp -r "$here"/scenarios "$here"/bench "$stage/guest/"
    mv "$stage/guest/init" "$stage/init"
    chmod +x "$stage/init"
    (cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$out"
    rm -rf "$stage"
}

run() {
    local job=$1 only=${2:-}
    [ -x "$bin" ] || die "no ipvstune binary at $bin: run 'make' first"
    command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing: run 'make deps'"
    kernel
    local initrd log
    initrd=$(mktemp "$cache/initrd-$job.XXXXXX")
    log=${VM_LOG:-$cache/$job.log}
    initramfs "$initrd"
    say "booting $kver under qemu (TCG) for '$job'"
    # TCG: KVM is not usable on our machines. The guest powers off when done;
    # a guest that hangs is killed after $timeout_s seconds.
    local status=0
    timeout --kill-after=10 "$timeout_s" qemu-system-x86_64 \
        -accel tcg -cpu max -m "$mem" -smp 1 \
        -nographic -no-reboot -nodefaults -serial stdio \
        -kernel "$kroot/root/boot/vmlinuz-$kver" -initrd "$initrd" \
        -append "console=ttyS0 quiet loglevel=3 panic=-1 ipvstune.job=$job ipvstune.only=$only" \
        </dev/null 2>&1 | tr -d '\r' | sed 's/^.*@@/@@/' | tee "$log" | filter "$job" || status=$?
    rm -f "$initrd"
    report "$job" "$log" "$status"
}

# What the operator sees: the guest's own lines, without the kernel's.
filter() {
    if [ "$1" = test ]; then
        awk '/^@@(PASS|FAIL) / { sub(/^@@/, ""); print; fflush(); next } /^    / { print; fflush() }'
    else
        awk '/^@@/ || /\033/ || /^SeaBIOS/ { next } /^\[ *[0-9]+\.[0-9]+\]/ { next } { print; fflush() }'
    fi
}

report() {
    local job=$1 log=$2 status=$3 passed failed
    if ! grep -q '^@@DONE' "$log"; then
        say "the guest never reported completion (qemu status $status); full console log: $log"
        [ "$job" = test ] && echo "0 passed, 1 failed"
        return 1
    fi
    [ "$job" = test ] || return "$(grep -q '^@@FAIL' "$log" && echo 1 || echo 0)"
    passed=$(grep -c '^@@PASS ' "$log" || true)
    failed=$(grep -c '^@@FAIL ' "$log" || true)
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}

case ${1:-} in
    kernel) kernel; echo "$kroot" ;;
    run) shift; [ $# -ge 1 ] || die "usage: vm.sh run test|demo|bench [PATTERN]"; run "$@" ;;
    *) die "usage: vm.sh kernel | run test|demo|bench [PATTERN]" ;;
esac
