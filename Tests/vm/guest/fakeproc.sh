# with_table FILE CMD...: runs CMD in a private mount namespace whose /proc/net/ip_vs_conn is
# FILE, so ipvsadm and ipvstune read the same generated table as if the kernel held it.
# Everything else under /proc stays the real thing (symlinks into a second proc mount).
with_table() {
    unshare -m sh -c '
        set -e
        table=$1; shift
        mkdir -p /run/realproc /run/fakeproc
        mount -t proc proc /run/realproc
        mount -t tmpfs tmpfs /run/fakeproc
        for entry in /run/realproc/*; do ln -s "$entry" /run/fakeproc/; done
        rm /run/fakeproc/net
        mkdir /run/fakeproc/net
        for entry in /run/realproc/self/net/*; do
            ln -s "/run/realproc/self/net/${entry##*/}" /run/fakeproc/net/
        done
        rm -f /run/fakeproc/net/ip_vs_conn
        ln -s "$table" /run/fakeproc/net/ip_vs_conn
        mount --bind /run/fakeproc /proc
        exec "$@"' with_table "$@"
}
