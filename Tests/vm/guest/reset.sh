#!/bin/sh
# Back to a fresh director: no services, default timeouts, no named namespaces.
for m in /sbin/modprobe /bin/modprobe; do [ -e "$m.hidden" ] && mv "$m.hidden" "$m"; done
ipvsadm -C >/dev/null 2>&1
ipvsadm --set 900 120 300 >/dev/null 2>&1
for ns in /run/netns/* /run/docker/netns/*; do
    [ -e "$ns" ] || continue
    umount "$ns" 2>/dev/null
    rm -f "$ns"
done
rm -rf /tmp/* /etc/ipvstune.conf /etc/ipvstune.d
