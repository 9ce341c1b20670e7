# kube-proxy: the IPVS settings of a running kube-proxy (found by name in /proc, also as
# `hyperkube kube-proxy`; flags from its NUL-separated cmdline, in --flag=value and --flag value
# forms, Go durations; or its --config KubeProxyConfiguration file, read inside its root) are
# compared with the keepalive time, ipvstune's config and the kernel of its own namespace.
# Debian packages no kube-proxy: the process is a stand-in script of that name.
. /guest/lib.sh
. /guest/doctor.sh
cleanup() {
    stop_kube_proxy
    rm -rf /etc/systemd /lib/systemd
}
trap cleanup EXIT
fake_enabled_unit
ipvstune set --tcp 7275 --save >/dev/null

# A stand-in: a script named kube-proxy, so the kernel names the process kube-proxy (comm) and
# its cmdline is "/bin/sh /tmp/kube-proxy FLAGS...".
printf '#!/bin/sh\nwhile :; do sleep 1; done\n' > /tmp/kube-proxy
chmod +x /tmp/kube-proxy
start_kube_proxy() { "$@" & kube_proxy_pid=$!; sleep 1; }
stop_kube_proxy() { [ -n "${kube_proxy_pid:-}" ] && kill "$kube_proxy_pid" 2>/dev/null; kube_proxy_pid=; }

start_kube_proxy /tmp/kube-proxy --proxy-mode=ipvs --ipvs-tcp-timeout=900s --ipvs-tcpfin-timeout 2m0s --ipvs-udp-timeout=5m0s
expect_eq "$(cat /proc/$kube_proxy_pid/comm)" "kube-proxy" "the stand-in's name"
run ipvstune doctor
echo "$out"
expect_rc 1 "kube-proxy with tcp 900s"
expect_finding warning kube-proxy "tcp 900s"
expect_contains "$out" "kube-proxy (pid $kube_proxy_pid) sets tcp 900 (--ipvs-tcp-timeout=900s), not above the TCP keepalive time 7200 s (2h)" "reason"
expect_eq "$(echo "$out" | grep -c '^warning')" 1 "only kube-proxy is wrong"
expect_contains "$out" "info     kube-proxy      kube-proxy (pid $kube_proxy_pid) runs in IPVS mode, deprecated since Kubernetes 1.35: nftables mode is the recommended replacement" "the deprecation note"
fix=$(fix_of kube-proxy)
expect_eq "$fix" "start kube-proxy with --ipvs-tcp-timeout=7275s (in its DaemonSet or unit), or with 0s to leave the timeouts to ipvstune" "fix"
stop_kube_proxy
start_kube_proxy /tmp/kube-proxy --proxy-mode=ipvs --ipvs-tcp-timeout=7275s --ipvs-tcpfin-timeout 2m0s --ipvs-udp-timeout=5m0s
run ipvstune doctor
expect_rc 0 "kube-proxy restarted as the fix says"
expect_contains "$out" "kube-proxy (pid $kube_proxy_pid) sets tcp 7275, tcpfin 120, udp 300, as the kernel has and ipvstune's config says" "ok line"
stop_kube_proxy

# Against ipvstune's config, in the "--flag value" form.
start_kube_proxy /tmp/kube-proxy --proxy-mode ipvs --ipvs-tcp-timeout 3h0m0s
run ipvstune doctor
expect_rc 1 "kube-proxy against the config"
expect_contains "$out" "sets tcp 10800 (--ipvs-tcp-timeout=3h0m0s) where ipvstune's config says 7275 (/etc/ipvstune.conf:" "conflict"
stop_kube_proxy

# Against the kernel, with a config that leaves udp alone.
printf 'tcp = 7275\n' > /etc/ipvstune.conf
start_kube_proxy /tmp/kube-proxy --proxy-mode=ipvs --ipvs-udp-timeout=1m0s
run ipvstune doctor
expect_rc 1 "kube-proxy's udp not in the kernel"
expect_contains "$out" "set udp 60 (--ipvs-udp-timeout=1m0s) when it started, but the kernel now has udp 300" "drift from kube-proxy"
expect_contains "$out" "or: ipvstune set --udp 60 --save" "second fix"
run sh -c "ipvstune set --udp 60 --save"
run ipvstune doctor
expect_rc 0 "kernel back to kube-proxy's value"
stop_kube_proxy

# Without a mode kube-proxy runs iptables, and the flags do nothing.
start_kube_proxy /tmp/kube-proxy --ipvs-tcp-timeout=1s
run ipvstune doctor
expect_rc 0 "no mode"
expect_contains "$out" "runs in iptables mode (the default) and does not touch the IPVS timeouts" "the default mode"
stop_kube_proxy

# hyperkube kube-proxy with --config: the file decides, the flags beside it are ignored.
printf '#!/bin/sh\nwhile :; do sleep 1; done\n' > /tmp/hyperkube
chmod +x /tmp/hyperkube
printf 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nipvs:\n  tcpFinTimeout: 0s\n  tcpTimeout: 15m0s\n  udpTimeout: 0s\nmode: "ipvs"\n' > /tmp/kube-proxy.yaml
start_kube_proxy /tmp/hyperkube kube-proxy --config=/tmp/kube-proxy.yaml --ipvs-tcp-timeout=7275s
expect_eq "$(cat /proc/$kube_proxy_pid/comm)" "hyperkube" "the stand-in's name"
run ipvstune doctor
echo "$out"
expect_rc 1 "the file's tcp 900"
expect_contains "$out" "kube-proxy (pid $kube_proxy_pid): --ipvs-tcp-timeout=7275s is ignored: with --config, kube-proxy takes its mode and IPVS timeouts from /tmp/kube-proxy.yaml only" "ignored flag"
expect_contains "$out" "sets tcp 900 (/tmp/kube-proxy.yaml:5 ipvs.tcpTimeout: 15m0s), not above the TCP keepalive time" "the file's value"
expect_eq "$(fix_of kube-proxy)" "set ipvs.tcpTimeout: 7275s in /tmp/kube-proxy.yaml (with kubeadm, the kube-proxy ConfigMap), then restart kube-proxy, or with 0s to leave the timeouts to ipvstune" "fix in the file"
sed -i 's/tcpTimeout: 15m0s/tcpTimeout: 7275s/' /tmp/kube-proxy.yaml
stop_kube_proxy
start_kube_proxy /tmp/hyperkube kube-proxy --config=/tmp/kube-proxy.yaml
run ipvstune doctor
expect_rc 0 "after the fix and a restart"
stop_kube_proxy

# In another mode the flags do nothing; 0s leaves a timeout alone.
start_kube_proxy /tmp/kube-proxy --proxy-mode iptables --ipvs-tcp-timeout=1s
run ipvstune doctor
expect_rc 0 "iptables mode"
expect_contains "$out" "runs in iptables mode and does not touch the IPVS timeouts" "iptables mode"
stop_kube_proxy

# A kube-proxy in another namespace is compared with that namespace's kernel.
new_netns blue
in_netns blue ipvsadm --set 10800 0 0
nsenter --net=/run/netns/blue /tmp/kube-proxy --proxy-mode=ipvs --ipvs-tcp-timeout=3h0m0s & kube_proxy_pid=$!
sleep 1
run ipvstune doctor
echo "$out"
expect_contains "$out" "kube-proxy (pid $kube_proxy_pid, in /run/netns/blue) sets tcp 10800" "kube-proxy in blue"
