# What the differential scripts share: run OLD and NEW on the same arguments and input, and
# compare stdout, stderr and exit status byte for byte. The caller sets old, new and scratch.

passed=0
failed=0

# compare LABEL INPUT ARGS...: INPUT is a file for standard input, or empty for /dev/null.
compare() {
    local label=$1 input=${2:-/dev/null} status_old status_new
    shift 2
    "$old" "$@" <"$input" >"$scratch/old.out" 2>"$scratch/old.err"
    status_old=$?
    "$new" "$@" <"$input" >"$scratch/new.out" 2>"$scratch/new.err"
    status_new=$?
    if [ "$status_old" = "$status_new" ] && cmp -s "$scratch/old.out" "$scratch/new.out" \
        && cmp -s "$scratch/old.err" "$scratch/new.err"; then
        passed=$((passed + 1))
        return
    fi
    failed=$((failed + 1))
    echo "FAIL $label: exit $status_old -> $status_new"
    diff <(head -c 4000 "$scratch/old.out") <(head -c 4000 "$scratch/new.out") | head -8 | sed 's/^/    stdout /'
    diff <(head -c 4000 "$scratch/old.err") <(head -c 4000 "$scratch/new.err") | head -8 | sed 's/^/    stderr /'
}

summary() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
