#!/usr/bin/env bash
# The boot test: a minimal Debian root (debootstrap, cached) running systemd as PID 1, with
# ipvstune installed from its .deb by dpkg, boots under qemu once per case in boot/cases/,
# and a check unit reports how ipvstune.service did at boot.
#
#   boot.sh DEB [CASE]      every case, or only those whose name contains CASE
#
# BOOT_SUITE (bookworm, the default, or trixie) is the root's Debian release; the guest boots
# that release's own kernel. BOOT_CASES is the folder of cases (default boot/cases).
#
# A case may also hold: `packages`, Debian packages (one a line) installed in its root with
# that release's apt (the root is cached per list); `modules`, kernel modules staged beside
# ip_vs; `mem`, the guest's memory in MiB; `suites`, the releases it runs on (default all);
# `rpm`, to install ipvstune from the RPM $BOOT_RPM with rpm -i --nodeps (the root's
# libraries are dpkg's) instead of the .deb, with $BOOT_RPM_UPGRADE at /root/ for the check.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/host.sh"
. "$here/roots.sh"

deb=${1:?usage: boot.sh DEB [CASE]}
only=${2:-}
release=${BOOT_SUITE:-bookworm}
cases=${BOOT_CASES:-$here/boot/cases}

# The root of one case: the cached base (with the case's packages), the kernel's IPVS modules
# (and the case's), ipvsadm as the reference, the package installed by dpkg inside it, the
# case's files and the check unit.
make_root() {
    local case=$1 root=$2
    rm -rf "$root"
    case_root "$case/packages"
    cp -a "$case_base" "$root"
    rm -f "$root/.done"
    stage_modules "$root" ip_vs ip_vs_rr $(cat "$case/modules" 2>/dev/null || true)
    stage_program "$root" "$(command -v ipvsadm)"
    if [ -f "$case/rpm" ]; then
        [ -f "${BOOT_RPM:-}" ] && [ -f "${BOOT_RPM_UPGRADE:-}" ] \
            || die "case $(basename "$case") needs BOOT_RPM and BOOT_RPM_UPGRADE: run 'make boot-test'"
        cp "$BOOT_RPM" "$root/tmp/ipvstune.rpm"
        cp "$BOOT_RPM_UPGRADE" "$root/root/ipvstune-upgrade.rpm"
        chroot "$root" rpm -i --nodeps /tmp/ipvstune.rpm > "$cache/boot-rpm-$release.log" 2>&1 \
            || die "rpm -i failed inside the guest root: see $cache/boot-rpm-$release.log"
        rm "$root/tmp/ipvstune.rpm"
    else
        cp "$deb" "$root/tmp/ipvstune.deb"
        chroot "$root" dpkg -i /tmp/ipvstune.deb > "$cache/boot-dpkg-$release.log" 2>&1 \
            || die "dpkg -i failed inside the guest root: see $cache/boot-dpkg-$release.log"
        rm "$root/tmp/ipvstune.deb"
    fi
    cp -r "$case/files/." "$root/"
    install -m 0755 "$case/check" "$root/usr/local/sbin/ipvstune-boot-check"
    install -m 0644 "$here/boot/lib.sh" "$root/usr/local/lib/ipvstune-boot-lib.sh"
    install -m 0644 "$here/boot/ipvstune-boot-check.service" "$root/etc/systemd/system/"
    ln -sf /etc/systemd/system/ipvstune-boot-check.service \
        "$root/etc/systemd/system/multi-user.target.wants/ipvstune-boot-check.service"
    # No login prompt on the console: the getty's hangup of ttyS0 would kill the check
    # writing there (seen with trixie's systemd 257, where the getty starts later).
    ln -sf /dev/null "$root/etc/systemd/system/serial-getty@ttyS0.service"
    echo director > "$root/etc/hostname"
    printf '/dev/vda / ext4 rw 0 1\n' > "$root/etc/fstab"
}

run_case() {
    local case=$1 name work log status=0
    name=$(basename "$case")
    work=$(mktemp -d "$cache/boot.XXXXXX")
    make_root "$case" "$work/root"
    mke2fs -q -t ext4 -d "$work/root" -F "$work/disk.img" 2G
    rm -rf "$work/root"
    log=$cache/boot-$release-$name.log
    mem=$(cat "$case/mem" 2>/dev/null || echo "${VM_MEM:-1024}")
    boot "boot $release $name" "$initrd" "$log" "quiet loglevel=3 systemd.show_status=0" \
        -drive "file=$work/disk.img,format=raw,if=virtio" | filter test || status=$?
    rm -rf "$work"
    grep -q '^@@DONE' "$log" || { echo "@@FAIL boot-$name ($release): the guest never reported (log: $log)" | tee -a "$all"; return; }
    grep '^@@\(PASS\|FAIL\) ' "$log" >> "$all" || true
}

command -v debootstrap >/dev/null || die "debootstrap missing: run 'make deps'"
[ -f "$deb" ] || die "no package at $deb: run 'make deb'"
kernel "$release"
mkdir -p "$cache"
rootfs
say "$release: systemd $(chroot "$base" dpkg-query -W -f='${Version}' systemd), kernel $kver"
initrd=$cache/initrd-boot-$release.gz
make_initrd "$initrd"
all=$(mktemp)
for case in "$cases"/*/; do
    case=${case%/}
    case $(basename "$case") in *"$only"*) ;; *) continue ;; esac
    if [ -f "$case/suites" ] && ! grep -qx "$release" "$case/suites"; then continue; fi
    run_case "$case"
done
echo "@@DONE" >> "$all"
report test "$all" 0
