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

# reader LOG: one awk reading $file over and over until /tmp/stop exists (no process per
# read; reniced, so the writer keeps most of the one CPU); "partial N" for each read that was
# not the whole file, then "reads N bad N".
reader() {
    sh -c 'renice -n 10 $$ >/dev/null; exec "$@"' reader awk -v file="$file" -v want="$lines" 'BEGIN {
        while ((getline stop < "/tmp/stop") < 0) {
            n = 0; first = ""; last = ""
            while ((getline line < file) > 0) { n++; if (n == 1) first = line; last = line }
            close(file)
            reads++
            # Whole: from the first family to the last line. Not the line count: entries of
            # earlier scenarios expiring meanwhile change it between two writes.
            if (!(n >= want / 2 && first ~ /^# HELP ipvstune_timeout_seconds / && last ~ /^ipvstune_scrape_duration_seconds [0-9.e+-]+$/)) {
                bad++
                print "partial " n
            }
        }
        print "reads " reads + 0 " bad " bad + 0
    }' > "$1"
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
set -- $(tail -1 /tmp/reads.atomic)
reads=$2 bad=$4
echo "metrics-atomic: $N rewrites in $(( $(date +%s) - start )) s, $reads whole-file reads meanwhile, $bad not whole" | tee /dev/console
[ "$reads" -ge 1000 ] || fail "the reader read only $reads times"
[ "$bad" = 0 ] || fail "the reader saw $bad partial files: $(grep '^partial' /tmp/reads.atomic | sort | uniq -c | head -5)"
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
set -- $(tail -1 /tmp/reads.inplace)
seen=$4
echo "metrics-atomic: in place, 100 rewrites, $2 reads, $seen not whole" | tee /dev/console
[ "$seen" -gt 0 ] || fail "the reader never saw a partial file written in place: it would not notice one"
