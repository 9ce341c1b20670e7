# Host-side pieces shared by vm.sh (busybox guests) and boot.sh (systemd guests): the cached
# kernel, staging modules and programs, booting qemu, and reading what the guest reported.
# The caller sets: here (Tests/vm), top (the repository), cache.

timeout_s=${VM_TIMEOUT:-900}
mem=${VM_MEM:-1024}

say() { printf 'vm: %s\n' "$*" >&2; }
die() { printf 'vm: %s\n' "$*" >&2; exit 1; }

# The kernel package linux-image-amd64 points at, unpacked with dpkg -x: never installed.
# Sets kver and kroot.
kernel() {
    local pkg
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    [ -n "$pkg" ] || die "cannot resolve linux-image-amd64: run 'apt-get update'"
    kver=${pkg#linux-image-}
    kroot=$cache/$kver
    if [ ! -f "$kroot/.unpacked" ]; then
        say "fetching $pkg into $cache"
        rm -rf "$kroot"
        mkdir -p "$kroot/deb"
        if ! (cd "$kroot/deb" && apt-get download "$pkg" >/dev/null 2>&1); then
            apt-get update -qq  # a stale package list names a version the archive dropped
            (cd "$kroot/deb" && apt-get download "$pkg" >/dev/null 2>&1) || die "apt-get download $pkg failed"
        fi
        dpkg -x "$kroot"/deb/*.deb "$kroot/root"
        rm -rf "$kroot/deb"
        depmod -b "$kroot/root" "$kver"
        touch "$kroot/.unpacked"
    fi
}

# stage_modules ROOT MODULE...: the modules, everything they depend on, and a modules.dep.
stage_modules() {
    local stage=$1 mod dep src=$kroot/root/lib/modules/$kver
    shift
    for mod in "$@"; do
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

# busybox and all its applets in ROOT/bin.
stage_busybox() {
    local stage=$1 applet
    mkdir -p "$stage/bin"
    cp /bin/busybox "$stage/bin/busybox"
    for applet in $(/bin/busybox --list); do
        [ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
    done
}

# initrd_from ROOT FILE: a gzipped newc cpio of the folder.
initrd_from() {
    (cd "$1" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$2"
}

# boot JOB INITRD LOG APPEND [QEMU ARGS...]: boots under TCG (KVM is not usable on our
# machines) and streams the console, less carriage returns, into LOG and to stdout.
# A guest that hangs is killed after $timeout_s seconds. Returns qemu's status.
boot() {
    local job=$1 initrd=$2 log=$3 append=$4 status=0
    shift 4
    say "booting $kver under qemu (TCG) for '$job'"
    timeout --kill-after=10 "$timeout_s" qemu-system-x86_64 \
        -accel tcg -cpu max -m "$mem" -smp 1 \
        -nographic -no-reboot -nodefaults -serial stdio \
        -kernel "$kroot/root/boot/vmlinuz-$kver" -initrd "$initrd" \
        -append "console=ttyS0 panic=-1 $append" "$@" \
        </dev/null 2>&1 | tr -d '\r' | sed 's/^.*@@/@@/' | tee "$log" || status=$?
    return "$status"
}

# What the operator sees: for tests the verdicts and failure details, otherwise the
# guest's own lines without the firmware's and the kernel's.
filter() {
    if [ "$1" = test ]; then
        awk '/^@@(PASS|FAIL) / { sub(/^@@/, ""); print; fflush(); next } /^    / { print; fflush() }'
    else
        awk '/^@@/ || /\033/ || /^SeaBIOS/ { next } /^\[ *[0-9]+\.[0-9]+\]/ { next } { print; fflush() }'
    fi
}

# report JOB LOG STATUS: the final "N passed, N failed" line for tests; false on any failure.
report() {
    local job=$1 log=$2 status=$3 passed failed
    if ! grep -q '^@@DONE' "$log"; then
        say "the guest never reported completion (qemu status $status); full console log: $log"
        [ "$job" = test ] && echo "0 passed, 1 failed"
        return 1
    fi
    if [ "$job" != test ]; then
        ! grep -q '^@@FAIL' "$log"
        return
    fi
    passed=$(grep -c '^@@PASS ' "$log" || true)
    failed=$(grep -c '^@@FAIL ' "$log" || true)
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}

# debian_program PACKAGE PATH: PATH inside the current Debian package PACKAGE, fetched with
# apt-get download and unpacked with dpkg -x into $cache/debs (never installed); prints the
# unpacked file's path. Used for node_exporter (staged into guests) and promtool (on the host).
debian_program() {
    local pkg=$1 path=$2 dir=$cache/debs/$1 tmp
    if [ ! -f "$dir/.unpacked" ]; then
        say "fetching $pkg into $cache/debs"
        mkdir -p "$cache/debs"
        tmp=$(mktemp -d "$cache/debs/.$pkg.XXXXXX")
        if ! (cd "$tmp" && apt-get download "$pkg" >/dev/null 2>&1); then
            apt-get update -qq
            (cd "$tmp" && apt-get download "$pkg" >/dev/null 2>&1) || { rm -rf "$tmp"; die "apt-get download $pkg failed"; }
        fi
        dpkg -x "$tmp"/*.deb "$tmp/root"
        dpkg-deb -f "$tmp"/*.deb Version > "$tmp/root/.version"
        rm -f "$tmp"/*.deb
        touch "$tmp/root/.unpacked"
        rm -rf "$dir"
        mv "$tmp/root" "$dir" 2>/dev/null || true  # a parallel run may have put it there first
        rm -rf "$tmp"
    fi
    [ -x "$dir$path" ] || die "$pkg has no $path"
    echo "$dir$path"
}
