# Host-side pieces shared by vm.sh (busybox guests), boot.sh and fleet.sh (systemd guests):
# the cached kernel, staging modules and programs, booting qemu, and reading what the guest
# reported. The caller sets here (its own folder, two below the top); this sets top (the
# repository) and cache (VM_CACHE).
top=$(cd "$here/../.." && pwd)
cache=${VM_CACHE:-$top/.cache/vm}

timeout_s=${VM_TIMEOUT:-900}
mem=${VM_MEM:-1024}
# Debian's archive: kernels (apt_private) and boot roots (debootstrap) come from here; a
# release's kernel security updates from the security archive.
mirror=${VM_MIRROR:-http://deb.debian.org/debian}
security_mirror=${VM_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

say() { printf 'vm: %s\n' "$*" >&2; }
die() { printf 'vm: %s\n' "$*" >&2; exit 1; }

# Kernels are named by version or by the Debian suite whose linux-image-amd64 they are.
# The archive keeps only each suite's current kernel, so the exact version is resolved at
# fetch time, never pinned.
kernel_suite() {
    case $1 in
        5.10 | bullseye) echo bullseye ;;
        6.1 | bookworm) echo bookworm ;;
        6.12 | trixie) echo trixie ;;
        7.* | sid) echo sid ;;
        *) return 1 ;;
    esac
}

# apt_private SUITE CMD...: apt-get or apt-cache with a configuration of its own under
# $cache/apt/SUITE: a sources list naming only SUITE (and, but for sid, SUITE-security, where
# a release's kernel updates go), its own package lists, no dpkg status and none of the
# host's settings. The host's apt sources and installed packages stay as
# they are. Signatures are checked against debian-archive-keyring; Valid-Until is not, so
# a mirror serving a sid snapshot a few days old still works.
apt_private() {
    local suite=$1 dir=$cache/apt/$1
    shift
    if [ ! -f "$dir/apt.conf" ]; then
        mkdir -p "$dir"/etc/{apt.conf.d,preferences.d,sources.list.d,trusted.gpg.d} \
            "$dir"/state/lists/partial "$dir"/cache/archives/partial
        : > "$dir/state/status"
        {
            echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main"
            [ "$suite" = sid ] || echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $security_mirror $suite-security main"
        } > "$dir/etc/sources.list"
        printf '%s\n' "Dir::Etc \"$dir/etc\";" "Dir::Etc::Parts \"$dir/etc/apt.conf.d\";" \
            "Dir::State \"$dir/state\";" "Dir::State::status \"$dir/state/status\";" \
            "Dir::Cache \"$dir/cache\";" 'APT::Architecture "amd64";' 'APT::Architectures { "amd64"; };' \
            'APT::Sandbox::User "root";' 'Acquire::Languages "none";' 'Acquire::Check-Valid-Until "false";' \
            > "$dir/apt.conf.new"
        mv "$dir/apt.conf.new" "$dir/apt.conf"
    fi
    APT_CONFIG=$dir/apt.conf "$@"
}

# The linux-image-KV package the suite's linux-image-amd64 depends on, from the private lists.
kernel_image() {
    apt_private "$1" apt-cache depends linux-image-amd64 2>/dev/null \
        | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ {print $2; exit}'
}

# kernel_packages SUITE KV: the packages holding kernel KV. sid splits it: its
# linux-image-KV is empty and depends on linux-binary-KV (vmlinuz), linux-modules-KV and
# linux-base-KV (modules.order, modules.builtin and the config).
kernel_packages() {
    echo "linux-image-$2"
    apt_private "$1" apt-cache depends "linux-image-$2" 2>/dev/null \
        | awk -v kv="$2" '$1 == "Depends:" && $2 ~ "^linux-(binary|modules|base)-" && substr($2, length($2) - length(kv) + 1) == kv {print $2}'
}

# kernel_layout ROOT KV: one layout for every kernel, ROOT/boot/vmlinuz-KV and
# ROOT/lib/modules/KV (where the host's kmod looks). sid's packages put both under
# /usr/lib/modules/KV.
kernel_layout() {
    local root=$1 kv=$2
    if [ -d "$root/usr/lib/modules/$kv" ] && [ ! -e "$root/lib/modules/$kv" ]; then
        mkdir -p "$root/lib/modules"
        mv "$root/usr/lib/modules/$kv" "$root/lib/modules/$kv"
    fi
    if [ -f "$root/lib/modules/$kv/vmlinuz" ] && [ ! -e "$root/boot/vmlinuz-$kv" ]; then
        mkdir -p "$root/boot"
        mv "$root/lib/modules/$kv/vmlinuz" "$root/boot/vmlinuz-$kv"
    fi
    [ -f "$root/boot/vmlinuz-$kv" ] && [ -d "$root/lib/modules/$kv/kernel" ]
}

# kernel [KERNEL]: the kernel of KERNEL's suite (default $KERNEL, else 6.1), fetched with
# apt-get download through apt_private and unpacked with dpkg -x into $cache/KV: never
# installed. The one place that resolves and fetches a kernel. Sets suite, kver and kroot.
kernel() {
    local want=${1:-${KERNEL:-6.1}} pkg dl try
    suite=$(kernel_suite "$want") || die "unknown kernel '$want': use 5.10, 6.1, 6.12 or 7.x (or bullseye, bookworm, trixie, sid)"
    mkdir -p "$cache"
    for try in 1 2; do
        # No lists yet, or (second try) lists naming a kernel the archive has dropped.
        if [ "$try" = 2 ] || ! ls "$cache/apt/$suite/state/lists/"*_Packages >/dev/null 2>&1; then
            say "reading $suite's package list"
            apt_private "$suite" apt-get update -qq > "$cache/apt-$suite.log" 2>&1 \
                || die "apt-get update for $suite failed: see $cache/apt-$suite.log"
        fi
        pkg=$(kernel_image "$suite")
        [ -n "$pkg" ] || die "$suite has no linux-image-amd64: see $cache/apt-$suite.log"
        kver=${pkg#linux-image-}
        kroot=$cache/$kver
        [ -f "$kroot/.unpacked" ] && break
        say "fetching $kver ($suite) into $cache"
        rm -rf "$kroot"
        mkdir -p "$kroot/deb"
        if (cd "$kroot/deb" && apt_private "$suite" apt-get download $(kernel_packages "$suite" "$kver")) \
            > "$cache/apt-$suite.log" 2>&1; then
            for dl in "$kroot"/deb/*.deb; do dpkg -x "$dl" "$kroot/root"; done
            rm -rf "$kroot/deb"
            kernel_layout "$kroot/root" "$kver" || die "$kver: no vmlinuz or modules in its packages"
            depmod -b "$kroot/root" "$kver"
            touch "$kroot/.unpacked"
            break
        fi
        [ "$try" = 2 ] && die "apt-get download of $kver failed: see $cache/apt-$suite.log"
    done
    case $want in
        [0-9]*) case $kver in "${want%.x}".*) ;; *) die "KERNEL=$want, but $suite's kernel is now $kver" ;; esac ;;
    esac
}

# module_file SRC DEST: a module as busybox's insmod can load it, uncompressed. 6.12 and
# later ship .ko.xz; DEST then loses that suffix.
module_file() {
    case $1 in
        *.ko) cp "$1" "$2" ;;
        *.ko.xz) xz -dc "$1" > "${2%.xz}" ;;
        *) die "$1: a module compressed in a way the harness does not know" ;;
    esac
}

# stage_modules ROOT MODULE...: the modules and everything they depend on in the kernel's
# own tree (never the host's modprobe configuration), uncompressed, with a modules.dep.
stage_modules() {
    local stage=$1 mod dep rel src=$kroot/root/lib/modules/$kver
    shift
    for mod in "$@"; do
        for dep in $(modprobe -C /dev/null -d "$kroot/root" -S "$kver" --show-depends "$mod" | awk '$1 == "insmod" {print $2}'); do
            rel=${dep#"$kroot"/root/}
            mkdir -p "$stage/$(dirname "$rel")"
            module_file "$dep" "$stage/$rel"
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
        [ "$job" = test ] && echo "$kver: 0 passed, 1 failed"
        return 1
    fi
    if [ "$job" != test ]; then
        ! grep -q '^@@FAIL' "$log"
        return
    fi
    passed=$(grep -c '^@@PASS ' "$log" || true)
    failed=$(grep -c '^@@FAIL ' "$log" || true)
    echo "$kver: $passed passed, $failed failed"
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
