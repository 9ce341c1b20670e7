# Two saves racing with two sets: the file always parses and ends as one of the writers'.
. /guest/lib.sh
new_netns a
new_netns b
ipvstune set --netns a 1000 100 10 >/dev/null
ipvstune set --netns b 2000 200 20 >/dev/null
printf '# shared\ntcp = 1\n' > /srv/race.conf
for i in 1 2 3 4 5 6 7 8 9 10; do
    ipvstune save --netns a --config /srv/race.conf >/dev/null &
    ipvstune save --netns b --config /srv/race.conf >/dev/null &
    wait
    run ipvstune show-config --config /srv/race.conf --json
    expect_rc 0 "race $i: the file parses"
    case $out in
        *'"timeouts":{"tcp":1000,"tcpfin":100,"udp":10}'*|*'"timeouts":{"tcp":2000,"tcpfin":200,"udp":20}'*) ;;
        *) fail "race $i: a mix or a loss: $out" ;;
    esac
    head -1 /srv/race.conf | grep -q '^# shared$' || fail "race $i: the comment was lost"
done
