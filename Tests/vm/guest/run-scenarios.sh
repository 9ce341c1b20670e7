#!/bin/sh
# Runs every scenario (or those whose name contains $1) from a clean IPVS state, each in
# its own shell with a time limit, and prints @@PASS or @@FAIL with the output indented.
only=$1
for scenario in /guest/scenarios/*.sh; do
    name=$(basename "$scenario" .sh)
    case $name in *"$only"*) ;; *) continue ;; esac
    sh /guest/reset.sh
    if (cd /tmp && timeout -k 5 300 sh "$scenario") > /tmp/scenario.out 2>&1; then
        echo "@@PASS $name"
    else
        echo "@@FAIL $name"
        sed 's/^/    /' /tmp/scenario.out
    fi
done
