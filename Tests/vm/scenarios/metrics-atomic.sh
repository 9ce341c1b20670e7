# metrics --textfile rewrites the file a thousand times while a reader reads it in a loop:
# every read is a whole file (the first family first, the last one last, every line). The
# same reader against a writer that rewrites the file in place (a shell redirection) does
# see partial files, so it would notice. No temporary file is left behind.
. /guest/lib.sh
. /guest/metrics.sh
N=${METRICS_REWRITES:-1000}
dir=/tmp/textfile
file=$dir/ipvstune.prom
mkdir -p "$dir"
trap 'touch /tmp/stop; wait' EXIT
ipvsadm -A -t 10.9.0.1:80 -s rr
ipvsadm -A -u 10.9.0.1:53 -s rr
ipvstune metrics --textfile "$file" || fail "the first write"
lines=$(wc -l < "$file")

# reader LOG: reads $file until /tmp/stop exists; one line per read, "ok" or "partial N".
reader() {
    while [ ! -e /tmp/stop ]; do
        awk -v want="$lines" 'NR == 1 { first = $0 } { last = $0 }
            END { whole = NR == want && first ~ /^# HELP ipvstune_timeout_seconds / && last ~ /^ipvstune_scrape_duration_seconds [0-9.e+-]+$/
                  print whole ? "ok" : "partial " NR }' "$file" 2>/dev/null || echo "missing"
    done > "$1"
}

rm -f /tmp/stop
reader /tmp/reads.atomic &
reader_pid=$!
start=$(date +%s)
i=0
while [ $i -lt "$N" ]; do
    ipvstune metrics --textfile "$file" || fail "write $i failed"
    i=$((i + 1))
done
touch /tmp/stop
wait $reader_pid
reads=$(wc -l < /tmp/reads.atomic)
bad=$(grep -vc '^ok$' /tmp/reads.atomic)
echo "atomic: $N rewrites in $(( $(date +%s) - start )) s, $reads reads, $bad not whole"
[ "$reads" -ge 100 ] || fail "the reader read only $reads times"
[ "$bad" = 0 ] || fail "the reader saw $bad partial or missing files: $(grep -v '^ok$' /tmp/reads.atomic | sort | uniq -c | head -5)"
expect_eq "$(ls -A "$dir")" "ipvstune.prom" "no temporary file left"

# The control: rewriting in place is seen.
rm -f /tmp/stop
reader /tmp/reads.inplace &
reader_pid=$!
i=0
while [ $i -lt 100 ]; do
    ipvstune metrics > "$file"
    i=$((i + 1))
done
touch /tmp/stop
wait $reader_pid
seen=$(grep -vc '^ok$' /tmp/reads.inplace)
echo "in place: 100 rewrites, $(wc -l < /tmp/reads.inplace) reads, $seen not whole"
[ "$seen" -gt 0 ] || fail "the reader never saw a partial file written in place: it would not notice one"
