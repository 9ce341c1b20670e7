#!/usr/bin/env bash
# Differential test of everything but conns that runs without a kernel: help, version, usage
# errors, bad values, show-config on every config of the fuzz corpus, and the commands that need
# IPVS on a machine without it. OLD and NEW must agree on stdout, stderr and exit status.
#
#   Tests/differential/cli.sh OLD NEW
#
# Deliberate changes are listed in `changed` below with their reason, and only skipped there.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
old=$1 new=$2
scratch=$(mktemp -d /tmp/ipvstune-diff-cli.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
. "$here/lib.sh"

# Arguments whose output is meant to change, with why.
declare -A changed=(
    ["conns --help"]="the help said templates are marked \"T\"; the listing writes \"template\" (issue #10)"
    ["help conns"]="the same help text as conns --help"
    ["conns -h"]="the same help text as conns --help"
    ["--help"]="the subcommand list names watch and metrics (issues #12, #13)"
    ["-h"]="the same help text as --help"
    ["help"]="the same help text as --help"
    ["--generate-completion-script bash"]="completions for watch and metrics, apply --follow"
    ["--generate-completion-script zsh"]="completions for watch and metrics, apply --follow"
    ["--generate-completion-script fish"]="completions for watch and metrics, apply --follow"
    ["doctor --help"]="keepalived's rules by version, the persistence grace, kube-proxy's --config (issue #14)"
    ["help doctor"]="the same help text as doctor --help"
    ["doctor -h"]="the same help text as doctor --help"
    ["apply --help"]="apply --all-netns --follow, and config security up to / (issue #19; rounds before, issue #14)"
    ["help apply"]="the same help text as apply --help"
    ["apply -h"]="the same help text as apply --help"
)

run_case() {
    local key="$*"
    if [ -n "${changed[$key]:-}" ]; then
        echo "skip: ipvstune $key: ${changed[$key]}"
        return
    fi
    compare "ipvstune $key" "" "$@"
}

# Help and version, from the root and from each subcommand, in every spelling.
run_case --help
run_case -h
run_case help
run_case --version
for command in get set conns services apply save show-config doctor; do
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
CASES

# show-config on every config of the fuzz corpus, as the main file (mode 0644, root's).
for file in "$top"/Tests/Fuzz/Corpus/config/*; do
    name=$(basename "$file")
    mkdir -p "$scratch/$name"
    cp "$file" "$scratch/$name/ipvstune.conf"
    chmod 0644 "$scratch/$name/ipvstune.conf"
    compare "show-config (corpus $name)" "" show-config --config "$scratch/$name/ipvstune.conf"
    compare "show-config --json (corpus $name)" "" show-config --json --config "$scratch/$name/ipvstune.conf"
done
compare "show-config (no file)" "" show-config --config "$scratch/none.conf"

# Commands that need IPVS, where this machine has none (or as a user without permission).
for line in "get" "get --json" "get tcp" "set --tcp 2h" "services" "services --json" "apply" "apply --check --json" \
    "save --config $scratch/save.conf" "get --netns nowhere" "get --netns /nonexistent/ns"; do
    # shellcheck disable=SC2086
    compare "ipvstune $line" "" $line
done

summary
