#!/usr/bin/env bash
# The fleet test: the Ansible role in packaging/ansible, run by the host's Debian ansible-core
# over ssh against two directors booting systemd under qemu (TCG): Debian 12 installs the
# .deb with dpkg, Debian 13 the RPM with rpm (--nodeps: its libraries are dpkg's). Each guest
# has a user-mode network card whose ssh is forwarded to a loopback port only; a guest that
# reboots is booted again by its runner here.
#
#   fleet.sh DEB RPM
#
# Steps, each checked with ipvsadm in the guests: a check-mode run on the new directors
# passes and installs nothing; the first run changes both and sets the kernels; the second
# changes nothing; drift made with ipvsadm --set is reported by a check-mode run that changes
# nothing, then put back by a normal run; after a reboot the boot unit has set the values
# again; a bad value in the inventory fails the play with ipvstune's message before any file
# or kernel value changes; a drop-in the role no longer lists is removed, one it did not
# write stays, and --diff shows the config's change and the removal; apply in every
# namespace, the follower disabled, the metrics timer enabled.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/host.sh"
. "$here/roots.sh"
timeout_s=${VM_TIMEOUT:-2400}  # one qemu run: a guest's life from one boot to the next

deb=$(realpath "${1:?usage: fleet.sh DEB RPM}")
rpm=$(realpath "${2:?usage: fleet.sh DEB RPM}")
[ -f "$deb" ] && [ -f "$rpm" ] || die "no package at $deb or $rpm: run 'make deb rpm'"
for tool in ansible-playbook ssh ssh-keygen debootstrap; do
    command -v "$tool" >/dev/null || die "$tool missing: run 'make deps-fleet'"
done
mkdir -p "$cache"
work=$(mktemp -d "$cache/fleet.XXXXXX")
guests=(bookworm trixie)
declare -A port runner

cleanup() {
    local g
    for g in "${guests[@]}"; do
        touch "$work/$g.stop"
        [ -f "$work/$g.pid" ] && kill "$(cat "$work/$g.pid")" 2>/dev/null || true
        [ -n "${runner[$g]:-}" ] && wait "${runner[$g]}" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

failures=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# guest_disk NAME: the release's root with openssh-server and python3 (and rpm for trixie),
# the IPVS and network card modules of its kernel, ipvsadm as the reference, a static
# address for qemu's user network, and the test's key for root. ipvstune is not in it: the
# role installs it.
guest_disk() {
    local name=$1 root
    release=$name
    kernel "$release"
    rootfs
    { echo openssh-server; echo python3; [ "$name" = trixie ] && echo rpm; } > "$work/$name.packages"
    case_root "$work/$name.packages"
    root=$work/$name.root
    cp -a "$case_base" "$root"
    rm -f "$root/.done"
    stage_modules "$root" ip_vs ip_vs_rr virtio_net
    stage_program "$root" "$(command -v ipvsadm)"
    mkdir -p "$root/etc/systemd/network" "$root/root/.ssh"
    printf '[Match]\nName=en* eth*\n\n[Network]\nAddress=10.0.2.15/24\nGateway=10.0.2.2\n' \
        > "$root/etc/systemd/network/10-qemu.network"
    ln -sf /lib/systemd/system/systemd-networkd.service \
        "$root/etc/systemd/system/multi-user.target.wants/systemd-networkd.service"
    install -m 0600 "$work/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
    ln -sf /dev/null "$root/etc/systemd/system/serial-getty@ttyS0.service"
    echo "director-$name" > "$root/etc/hostname"
    printf '/dev/vda / ext4 rw 0 1\n' > "$root/etc/fstab"
    make_initrd "$work/$name.initrd"
    mke2fs -q -t ext4 -d "$root" -F "$work/$name.img" 3G > /dev/null
    rm -rf "$root"
    echo "$kver" > "$work/$name.kver"
}

# run_guest NAME: boots the guest, and again each time it reboots, until NAME.stop exists.
run_guest() {
    local name=$1 n=0
    release=$name
    kernel "$release" 2>/dev/null
    while [ ! -f "$work/$name.stop" ]; do
        n=$((n + 1))
        boot "fleet $name (boot $n)" "$work/$name.initrd" "$cache/fleet-$name-boot$n.log" \
            "quiet loglevel=3 systemd.show_status=0" \
            -drive "file=$work/$name.img,format=raw,if=virtio" -pidfile "$work/$name.pid" \
            -netdev "user,id=net0,hostfwd=tcp:127.0.0.1:${port[$name]}-:22" \
            -device virtio-net-pci,netdev=net0 > /dev/null 2>&1 || true
    done
}

ssh_guest() {
    local name=$1
    shift
    ssh -i "$work/id_ed25519" -p "${port[$name]}" -o BatchMode=yes -o ConnectTimeout=10 \
        -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR root@127.0.0.1 "$@"
}

# up NAME [BOOT_ID]: waits (up to 5 minutes) until ssh answers, with a boot id other than
# BOOT_ID when one is given.
up() {
    local name=$1 old=${2:-} id i
    for i in $(seq 1 100); do
        if id=$(ssh_guest "$name" cat /proc/sys/kernel/random/boot_id 2>/dev/null) && [ "$id" != "$old" ]; then
            return 0
        fi
        sleep 3
    done
    die "$name: no ssh on 127.0.0.1:${port[$name]} after 5 minutes (console: $cache/fleet-$name-boot*.log)"
}

kernel_of() { ssh_guest "$1" ipvsadm -L --timeout | sed -n 's/^Timeout (tcp tcpfin udp): //p'; }

expect_kernel() {  # expect_kernel STEP NAME VALUES
    local got
    got=$(kernel_of "$2")
    [ "$got" = "$3" ] && pass "$1: $2's kernel holds $3 (ipvsadm)" || fail "$1: $2's kernel holds '$got', expected '$3'"
}

# inventory FILE TCP DROPINS [VARS]: both directors, their packages and the settings, and
# VARS (more YAML lines for both).
inventory() {
    cat > "$1" <<EOF
lvs_directors:
  vars:
    ansible_host: 127.0.0.1
    ansible_user: root
    ansible_become: false
    ansible_ssh_private_key_file: $work/id_ed25519
    ansible_python_interpreter: /usr/bin/python3
    ipvstune_tcp: $2
    ipvstune_tcpfin: 90s
    ipvstune_udp: 5m
    ipvstune_dropins: $3
${4:-}
  hosts:
    bookworm:
      ansible_port: ${port[bookworm]}
      ipvstune_package: $deb
    trixie:
      ansible_port: ${port[trixie]}
      ipvstune_package: $rpm
      ipvstune_package_format: rpm
      ipvstune_rpm_options: [--nodeps]
EOF
}

# play STEP LOG ARGS...: ansible-playbook on the example playbook; its output in LOG and on
# stdout. Returns its status.
play() {
    local step=$1 log=$2 status=0
    shift 2
    echo "== $step: ansible-playbook $*"
    ansible-playbook "$top/packaging/ansible/playbook.yml" "$@" > "$log" 2>&1 || status=$?
    sed 's/^/    /' "$log" | grep -v '^    $' | tail -n 40
    return "$status"
}

# recap LOG HOST FIELD: a number from PLAY RECAP, e.g. changed or failed.
recap() { sed -n "s/^$2 *: .* $3=\([0-9]*\).*/\1/p" "$1"; }

export ANSIBLE_CONFIG=$work/ansible.cfg
cat > "$ANSIBLE_CONFIG" <<EOF
[defaults]
inventory = $work/inventory.yml
forks = 2
local_tmp = $work/ansible-local
host_key_checking = False
retry_files_enabled = False
nocows = 1
[ssh_connection]
pipelining = True
control_path_dir = $work/cp
ssh_args = -o ControlMaster=auto -o ControlPersist=120s -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o LogLevel=ERROR
EOF
ssh-keygen -q -t ed25519 -N '' -f "$work/id_ed25519"
for g in "${guests[@]}"; do port[$g]=$(free_port); done
say "ansible-core $(ansible-playbook --version | sed -n '1s/.*core \([0-9.]*\).*/\1/p'); building the guests' disks"
guest_disk bookworm & b=$!
guest_disk trixie & t=$!
wait "$b" && wait "$t" || die "a guest's disk could not be made"
for g in "${guests[@]}"; do run_guest "$g" & runner[$g]=$!; done
for g in "${guests[@]}"; do up "$g"; done
say "both guests answer ssh: bookworm on 127.0.0.1:${port[bookworm]}, trixie on 127.0.0.1:${port[trixie]}"
ssh_guest trixie "mkdir -p /etc/ipvstune.d && echo '# a drop-in of the operator' > /etc/ipvstune.d/99-local.conf"

two_dropins="{40-fin.conf: {tcpfin: 100}, 50-udp.conf: {udp: 10m}}"
inventory "$work/inventory.yml" 2h "$two_dropins"

# 0. Check mode on new directors: it passes, reports the package to install, installs nothing.
if play "0 check mode, new directors" "$work/0.log" --check; then
    for g in "${guests[@]}"; do
        [ "$(recap "$work/0.log" "$g" changed)" -gt 0 ] && pass "0: $g would change" || fail "0: $g reports no change"
        expect_kernel 0 "$g" "900 120 300"
        ssh_guest "$g" test ! -e /usr/sbin/ipvstune && pass "0: nothing installed on $g" || fail "0: ipvstune installed on $g"
    done
else
    fail "0: check mode on new directors failed"
fi

# 1. The first run installs ipvstune, writes the config, sets both kernels and enables the boot unit.
if play "1 first run" "$work/1.log"; then
    for g in "${guests[@]}"; do
        [ "$(recap "$work/1.log" "$g" changed)" -gt 0 ] && pass "1: $g changed" || fail "1: $g reports no change"
        expect_kernel 1 "$g" "7200 100 600"
        [ "$(ssh_guest "$g" systemctl is-enabled ipvstune.service)" = enabled ] \
            && pass "1: $g's boot unit is enabled" || fail "1: $g's boot unit is not enabled"
    done
    ssh_guest trixie rpm -q ipvstune >/dev/null && pass "1: trixie has the RPM (rpm -q)" || fail "1: rpm -q ipvstune on trixie"
    ssh_guest bookworm dpkg-query -W ipvstune >/dev/null && pass "1: bookworm has the .deb" || fail "1: dpkg-query on bookworm"
else
    fail "1: the first run failed"
fi

# 2. The second run changes nothing.
if play "2 second run" "$work/2.log"; then
    for g in "${guests[@]}"; do
        [ "$(recap "$work/2.log" "$g" changed)" = 0 ] && pass "2: $g changed=0" || fail "2: $g changed=$(recap "$work/2.log" "$g" changed)"
    done
else
    fail "2: the second run failed"
fi

# 3. Drift: check mode reports it and changes nothing; a normal run puts it back.
ssh_guest bookworm ipvsadm --set 900 120 300
play "3 check mode" "$work/3a.log" --check --diff || fail "3: the check-mode run failed"
[ "$(recap "$work/3a.log" bookworm changed)" -gt 0 ] && pass "3: check mode reports bookworm's drift" \
    || fail "3: check mode reports no change on bookworm"
[ "$(recap "$work/3a.log" trixie changed)" = 0 ] && pass "3: check mode reports trixie in place" \
    || fail "3: check mode reports trixie changed"
grep -q 'host: tcp 900 -> 7200' "$work/3a.log" && pass "3: check mode says what would change" || fail "3: no 'tcp 900 -> 7200' in the check-mode output"
expect_kernel 3 bookworm "900 120 300"
play "3 put back" "$work/3b.log" || fail "3: the run that puts it back failed"
[ "$(recap "$work/3b.log" bookworm changed)" -gt 0 ] && pass "3: the normal run changed bookworm" || fail "3: no change on bookworm"
[ "$(recap "$work/3b.log" trixie changed)" = 0 ] && pass "3: trixie unchanged" || fail "3: trixie changed"
expect_kernel 3 bookworm "7200 100 600"

# 4. Both reboot; the boot unit sets the values again.
declare -A boot_id
for g in "${guests[@]}"; do
    boot_id[$g]=$(ssh_guest "$g" cat /proc/sys/kernel/random/boot_id)
    ssh_guest "$g" systemctl reboot || true
done
for g in "${guests[@]}"; do up "$g" "${boot_id[$g]}"; done
for g in "${guests[@]}"; do
    expect_kernel 4 "$g" "7200 100 600"
    [ "$(ssh_guest "$g" systemctl show -P Result ipvstune.service)" = success ] \
        && pass "4: $g's ipvstune.service succeeded at boot" || fail "4: $g's ipvstune.service did not succeed"
done

# 5. A bad value in the inventory fails the play with ipvstune's message; nothing changes.
sums() { ssh_guest "$1" 'sha256sum /etc/ipvstune.conf /etc/ipvstune.d/*'; }
before_b=$(sums bookworm) before_t=$(sums trixie)
inventory "$work/inventory.yml" 40d "$two_dropins"
if play "5 bad value" "$work/5.log"; then
    fail "5: the play passed with ipvstune_tcp: 40d"
else
    grep -q "tcp: '40d' is above 31 days" "$work/5.log" && pass "5: the play failed with ipvstune's message" \
        || fail "5: ipvstune's message is not in the output"
    for g in "${guests[@]}"; do
        [ "$(recap "$work/5.log" "$g" failed)" = 1 ] && [ "$(recap "$work/5.log" "$g" changed)" = 0 ] \
            && pass "5: $g failed with changed=0" || fail "5: $g: $(grep "^$g " "$work/5.log")"
        expect_kernel 5 "$g" "7200 100 600"
    done
    [ "$(sums bookworm)" = "$before_b" ] && [ "$(sums trixie)" = "$before_t" ] \
        && pass "5: the config files are as they were" || fail "5: a config file changed"
fi

# 6. A drop-in no longer listed is removed, the operator's own stays, and --diff shows both
# that and the config's new tcp line. With ipvstune_all_netns the role's apply sets a
# namespace made while the follower was stopped; ipvstune_follow_netns: false leaves the
# follower disabled, and ipvstune_metrics: true enables the timer and writes the textfile.
for g in "${guests[@]}"; do
    ssh_guest "$g" 'systemctl stop ipvstune-netns.service && mkdir -p /run/netns && touch /run/netns/blue && unshare --net=/run/netns/blue true'
done
inventory "$work/inventory.yml" 3h "{50-udp.conf: {udp: 10m}}" "    ipvstune_all_netns: true
    ipvstune_follow_netns: false
    ipvstune_metrics: true"
if play "6 drop-in removed, every namespace, metrics" "$work/6.log" --diff; then
    for g in "${guests[@]}"; do
        ssh_guest "$g" test ! -e /etc/ipvstune.d/40-fin.conf && pass "6: $g's 40-fin.conf is gone" \
            || fail "6: $g still has 40-fin.conf"
        expect_kernel 6 "$g" "10800 90 600"
        got=$(ssh_guest "$g" nsenter --net=/run/netns/blue ipvsadm -L --timeout | sed -n 's/^Timeout (tcp tcpfin udp): //p')
        [ "$got" = "10800 90 600" ] && pass "6: $g's namespace blue holds 10800 90 600 (ipvsadm)" \
            || fail "6: $g's namespace blue holds '$got'"
        [ "$(ssh_guest "$g" systemctl is-enabled ipvstune-netns.service)" = disabled ] \
            && pass "6: $g's follower is disabled" || fail "6: $g's follower is not disabled"
        [ "$(ssh_guest "$g" systemctl is-enabled ipvstune-metrics.timer)" = enabled ] \
            && ssh_guest "$g" grep -qx "'ipvstune_config_match{netns=\"host\"} 1'" /var/lib/prometheus/node-exporter/ipvstune.prom \
            && pass "6: $g's metrics timer is enabled, the textfile says the config matches" \
            || fail "6: $g's metrics timer or textfile"
    done
    grep -q 'blue: tcp 900 -> 10800' "$work/6.log" && pass "6: the namespace's change is reported from apply's JSON" \
        || fail "6: no 'blue: tcp 900 -> 10800' in the output"
    ssh_guest trixie test -e /etc/ipvstune.d/99-local.conf && pass "6: the operator's own drop-in stays" \
        || fail "6: the role removed a drop-in it did not write"
    grep -q '"state": "absent"' "$work/6.log" && pass "6: --diff shows the removal" || fail "6: no removal in the diff"
    grep -qx -- '-tcp = 2h' "$work/6.log" && grep -qx -- '+tcp = 3h' "$work/6.log" \
        && pass "6: --diff shows the config's change" || fail "6: no 'tcp = 2h' -> 'tcp = 3h' in the diff"
else
    fail "6: the run failed"
fi

for g in "${guests[@]}"; do touch "$work/$g.stop"; ssh_guest "$g" systemctl poweroff || true; done
for g in "${guests[@]}"; do wait "${runner[$g]}" || true; runner[$g]=; done
echo "fleet: $failures failed"
[ "$failures" = 0 ]
