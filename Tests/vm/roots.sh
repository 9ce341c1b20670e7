# Debian roots for guests that boot systemd (boot.sh, fleet.sh), cached in $cache: the
# release's minimal root, copies of it with more packages, and the initramfs that mounts the
# root from /dev/vda. The caller sources host.sh first and sets release (bookworm or trixie).

# rootfs: the release's minbase root with systemd, made once by debootstrap. Sets base.
rootfs() {
    base=$cache/rootfs-$release
    [ -f "$base/.done" ] && return
    say "debootstrap $release (minbase, systemd) into $base"
    rm -rf "$base"
    debootstrap --variant=minbase --include=systemd-sysv,kmod,udev "$release" "$base" "$mirror" \
        > "$cache/debootstrap-$release.log" 2>&1 || die "debootstrap failed: see $cache/debootstrap-$release.log"
    touch "$base/.done"
}

# case_root LIST: the base, or if the file LIST exists (Debian packages, one a line) a copy of
# it with those packages installed by the root's own apt-get (the host's network, the root's
# sources; nothing started: policy-rc.d), cached under a name made from the list. Sets case_base.
case_root() {
    local list=$1 key
    case_base=$base
    [ -f "$list" ] || return 0
    key=$(grep -v '^#' "$list" | sort | xargs | md5sum | cut -c1-12)
    case_base=$cache/rootfs-$release-$key
    [ -f "$case_base/.done" ] && return
    say "installing $(grep -v '^#' "$list" | xargs) into a copy of the $release root"
    rm -rf "$case_base"
    cp -a "$base" "$case_base"
    rm -f "$case_base/.done"
    printf '#!/bin/sh\nexit 101\n' > "$case_base/usr/sbin/policy-rc.d"
    chmod 0755 "$case_base/usr/sbin/policy-rc.d"
    if ! { chroot "$case_base" apt-get update -qq && DEBIAN_FRONTEND=noninteractive chroot "$case_base" \
            apt-get install -y -qq --no-install-recommends $(grep -v '^#' "$list"); } \
            > "$cache/boot-packages-$release.log" 2>&1; then
        die "apt-get install in the $release root failed: see $cache/boot-packages-$release.log"
    fi
    rm -f "$case_base/usr/sbin/policy-rc.d"
    chroot "$case_base" apt-get clean
    touch "$case_base/.done"
}

# A busybox initramfs that mounts /dev/vda and hands over to systemd.
make_initrd() {
    local out=$1 stage
    stage=$(mktemp -d "$cache/stage.XXXXXX")
    chmod 0755 "$stage"
    mkdir -p "$stage"/{proc,sys,dev,newroot,lib/modules}
    stage_busybox "$stage"
    stage_modules "$stage" virtio_pci virtio_blk ext4 crc32c_generic  # ext4 checksums need crc32c
    install -m 0755 "$here/boot/initrd-init" "$stage/init"
    initrd_from "$stage" "$out"
    rm -rf "$stage"
}
