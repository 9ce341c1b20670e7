#!/usr/bin/env bash
# Installs (or removes) ipvstune's files as listed in `files` beside this script, and says
# what it did. In the release tarball:
#
#   ./install.sh                      under /usr/local (units in /usr/local/lib/systemd/system)
#   ./install.sh --prefix /usr        under /usr
#   ./install.sh --uninstall          removes them again (the config only while untouched)
#
# --list prints each file's installed path, mode and flags. --destdir DIR stages everything under DIR (for packaging). The config goes to
# $SYSCONFDIR/ipvstune.conf (default /etc, where ipvstune reads it) and never replaces one
# that exists. Every directory can be set in the environment: SBINDIR, SYSCONFDIR, UNITDIR,
# PRESETDIR, MANDIR, BASHCOMPDIR, ZSHCOMPDIR, FISHCOMPDIR, DATADIR. `make install` runs this
# script with --from-repo, which takes the files from the repository's build instead.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
list=$here/files
column=2  # the tarball's names; --from-repo: the repository's
action=install
PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
source_root=$here

die() { echo "install.sh: $1" >&2; exit 64; }

while [ $# -gt 0 ]; do
    case $1 in
        --prefix) [ $# -ge 2 ] || die "--prefix needs a directory: --prefix /usr"; PREFIX=$2; shift 2 ;;
        --destdir) [ $# -ge 2 ] || die "--destdir needs a directory: --destdir /tmp/stage"; DESTDIR=$2; shift 2 ;;
        --uninstall) action=uninstall; shift ;;
        --from-repo) column=1; source_root=$(cd "$here/.." && pwd); shift ;;
        --list) action=list; shift ;;
        -h|--help) sed -n '2,14s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) die "unknown argument '$1': see ./install.sh --help" ;;
    esac
done
case $PREFIX in /*) ;; *) die "the prefix '$PREFIX' is not an absolute path: give one such as /usr/local" ;; esac
[ -f "$list" ] || die "no file list at $list: run it from the unpacked tarball"

SBINDIR=${SBINDIR:-$PREFIX/sbin}
SYSCONFDIR=${SYSCONFDIR:-/etc}
UNITDIR=${UNITDIR:-$PREFIX/lib/systemd/system}
PRESETDIR=${PRESETDIR:-$PREFIX/lib/systemd/system-preset}
MANDIR=${MANDIR:-$PREFIX/share/man}
BASHCOMPDIR=${BASHCOMPDIR:-$PREFIX/share/bash-completion/completions}
ZSHCOMPDIR=${ZSHCOMPDIR:-$PREFIX/share/zsh/site-functions}
FISHCOMPDIR=${FISHCOMPDIR:-$PREFIX/share/fish/vendor_completions.d}
DATADIR=${DATADIR:-$PREFIX/share}

# target '$UNITDIR/x': the path with its directory variable's value.
target() {
    local var=${1%%/*} rest=${1#*/}
    var=${var#\$}
    case $var in
        SBINDIR|SYSCONFDIR|UNITDIR|PRESETDIR|MANDIR|BASHCOMPDIR|ZSHCOMPDIR|FISHCOMPDIR|DATADIR) ;;
        *) die "$list names an unknown directory '\$$var': use one of those in install.sh" ;;
    esac
    echo "${!var}/$rest"
}

# A unit template gets the directories it names; any other file is copied as it is.
put() {
    local from=$1 to=$2 mode=$3
    mkdir -p "$(dirname "$to")"
    case $from in
        *.in) sed "s|@SBINDIR@|$SBINDIR|g; s|@SYSCONFDIR@|$SYSCONFDIR|g" "$from" > "$to.tmp.$$" ;;
        *) cp "$from" "$to.tmp.$$" ;;
    esac
    chmod "$mode" "$to.tmp.$$"
    mv -f "$to.tmp.$$" "$to"
}

grep -v '^\s*\(#\|$\)' "$list" | while read -r repo tarball dest mode flags; do
    if [ "$column" = 1 ]; then from=$source_root/$repo; else from=$source_root/$tarball; fi
    to=$DESTDIR$(target "$dest")
    config=no
    case " $flags " in *" config "*) config=yes ;; esac
    if [ "$action" = list ]; then
        echo "$(target "$dest") $mode $flags"
    elif [ "$action" = install ]; then
        [ -f "$from" ] || die "$from is missing: build it first (make build man completions)"
        if [ "$config" = yes ] && [ -e "$to" ]; then
            echo "kept the existing $to"
        else
            put "$from" "$to" "$mode"
            echo "installed $to"
        fi
    else
        if [ "$config" = yes ]; then
            if [ -e "$to" ] && ! cmp -s "$from" "$to"; then echo "kept the edited $to"; continue; fi
        fi
        [ -e "$to" ] || continue
        rm -f "$to"
        echo "removed $to"
        # Only a folder of ipvstune's own goes with its last file.
        case $(dirname "$dest") in */ipvstune) rmdir "$(dirname "$to")" 2>/dev/null && echo "removed $(dirname "$to")" || true ;; esac
    fi
done
