# Cases for everything but conns that runs without a kernel: help, version, usage errors, bad
# values, show-config on every config of the fuzz corpus; and the commands that need IPVS, on a
# machine without it. Sourced by run.sh, which sets top, bin, scratch and out.

group cli

# Help and version, from the root and from each subcommand, in every spelling.
run_case --help
run_case -h
run_case help
run_case --version
for command in get set conns services apply save show-config doctor watch metrics; do
    run_case "$command" --help
    run_case "$command" -h
    run_case help "$command"
done
run_case --generate-completion-script bash
run_case --generate-completion-script zsh
run_case --generate-completion-script fish

# Usage errors and bad values: each exits before it would open IPVS.
while IFS= read -r line; do
    [ -n "$line" ] || continue
    # shellcheck disable=SC2086 # the words of the line are the arguments
    run_case $line
done <<'CASES'
bogus
get bogus
get tcp udp
get --bogus
get --netns
get --netns a --all-netns
get tcp --all-netns
set
set 1
set 1 2
set 1 2 3 4
set 0 0 0
set x 120 300
set 7200 120 300 --tcp 1
set --tcp
set --tcp 0
set --tcp -5
set --tcp 1x
set --tcp 32d
set --tcp 2678401
set --tcp 1h30
set --tcp 1.5h
set --udp 99999999999999999999
set --tcpfin 1d1d
set --tcp= --udp 1
set --tcp 2h --tcp 3h
set --save --netns x --tcp 1
set -x
conns --sort nowhere
conns --state
conns --state bogus
conns --proto bogus
conns --client 10.0.0.0/33
conns --client bogus
conns --virtual fwmark:x
conns --virtual 1.2.3.4:99999
conns --dest [::1
conns --expiring-within 5x
conns --count --summary
conns --count --sort expire
conns --file /nonexistent
conns --file /tmp --count
conns --file /dev/null --netns a
conns x
services --bogus
services x
apply --bogus
apply --check --quiet --json
save --bogus
save x
show-config x
show-config --config
doctor --bogus
doctor --netns a --all-netns
watch --bogus
watch x
watch --interval 0
watch --interval soon
watch --summary-every -1
watch --netns a --all-netns
metrics --bogus
metrics x
metrics --max-virtual x
metrics --max-virtual -1
metrics --netns a --all-netns
metrics --textfile /nonexistent/ipvstune.prom
metrics --textfile /dev/null/ipvstune.prom
CASES

# show-config on every config of the fuzz corpus, as the main file (mode 0644, root's).
for file in "$top"/Tests/Fuzz/Corpus/config/*; do
    name=$(basename "$file")
    mkdir -p "$scratch/config/$name"
    cp "$file" "$scratch/config/$name/ipvstune.conf"
    chmod 0644 "$scratch/config/$name/ipvstune.conf"
    record "show-config (corpus $name)" "ipvstune show-config --config config/$name/ipvstune.conf"
    record "show-config --json (corpus $name)" "ipvstune show-config --json --config config/$name/ipvstune.conf"
done
record "show-config (no file)" "ipvstune show-config --config none.conf"

# Commands that need IPVS, where this machine has none: the kernel has no ip_vs and modprobe
# cannot load it. Elsewhere their output is the machine's, so they are skipped.
if [ ! -e /proc/net/ip_vs ] && ! modprobe -n -q ip_vs 2>/dev/null; then
    group cli-no-ipvs
    for line in "get" "get --json" "get tcp" "set --tcp 2h" "services" "services --json" "apply" "apply --check --json" \
        "save --config save.conf" "get --netns nowhere" "get --netns /nonexistent/ns" "watch" \
        "watch --textfile w.prom" "metrics"; do
        # shellcheck disable=SC2086
        run_case $line
    done
fi
