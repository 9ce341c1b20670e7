# Helpers for the doctor scenarios: source after lib.sh.

# expect_finding SEVERITY ID WHAT: doctor's output ($out) has that finding.
expect_finding() { echo "$out" | grep -Eq "^$1 +$2 " || fail "$3: expected '$1 $2' in: $out"; }

# fix_of ID: the fix command doctor printed under the (warning or error) finding ID.
fix_of() { echo "$out" | awk -v id="$1" '$2 == id && $1 != "ok" && $1 != "info" { getline; sub(/^ *fix: /, ""); print; exit }'; }

# The guest runs no systemd: an installed and enabled ipvstune.service is its unit file and
# its wants-link, which is all doctor's boot-unit check reads.
fake_enabled_unit() {
    mkdir -p /lib/systemd/system /etc/systemd/system/multi-user.target.wants
    echo '[Unit]' > /lib/systemd/system/ipvstune.service
    ln -s /lib/systemd/system/ipvstune.service /etc/systemd/system/multi-user.target.wants/ipvstune.service
}
