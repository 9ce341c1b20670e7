#!/bin/sh
# Runs every benchmark (or those whose name contains $1) in this one boot.
only=$1
echo "== benchmarks on $(uname -r) under qemu TCG, $(date -u +%Y-%m-%d) =="
for bench in /guest/bench/*.sh; do
    name=$(basename "$bench" .sh)
    case $name in run | lib) continue ;; esac
    case $name in *"$only"*) ;; *) continue ;; esac
    sh /guest/reset.sh
    sh "$bench" || echo "@@FAIL bench $name"
done
