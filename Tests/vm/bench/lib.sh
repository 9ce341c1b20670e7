# What every benchmark prints with: sourced by each, not a benchmark itself.

# ratio A B [DIGITS]: A / B with DIGITS decimals (3 unless given).
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-3}" 'BEGIN { printf "%." d "f", a / b }'; }
# ms US: microseconds as whole milliseconds.
ms() { awk -v us="$1" 'BEGIN { printf "%.0f", us / 1000 }'; }
# mean N...: the mean of numbers given as arguments, separated by spaces or newlines.
mean() { echo "$@" | awk '{ for (i = 1; i <= NF; i++) { s += $i; n++ } } END { printf "%.0f", s / n }'; }
# row OPERATION OURS REFERENCE RATIO: one line of a figures table.
row() { printf '%-44s %10s %10s %8s\n' "$@"; }
# median_ratio "A1 A2..." "B1 B2..." [DIGITS]: the median of the pairwise ratios Ai / Bi, for
# runs alternated A B A B in one boot: one slow stretch of the emulator then spoils one pair,
# not the figure (one mean of a 6.1 /proc read swings 2x from run to run).
median_ratio() {
    awk -v a="$1" -v b="$2" -v d="${3:-3}" 'BEGIN {
        n = split(a, x, " "); split(b, y, " ")
        for (i = 1; i <= n; i++) { r[i] = x[i] / y[i]; for (j = i; j > 1 && r[j - 1] > r[j]; j--) { t = r[j]; r[j] = r[j - 1]; r[j - 1] = t } }
        printf "%." d "f", n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
    }'
}
# median N...: the median of numbers given as arguments.
median() { median_ratio "$*" "$(echo "$@" | awk '{ for (i = 1; i <= NF; i++) printf "1 " }')" 0; }
