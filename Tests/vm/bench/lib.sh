# What every benchmark prints with: sourced by each, not a benchmark itself.

# ratio A B [DIGITS]: A / B with DIGITS decimals (3 unless given).
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-3}" 'BEGIN { printf "%." d "f", a / b }'; }
# ms US: microseconds as whole milliseconds.
ms() { awk -v us="$1" 'BEGIN { printf "%.0f", us / 1000 }'; }
# mean N...: the mean of numbers given as arguments, separated by spaces or newlines.
mean() { echo "$@" | awk '{ for (i = 1; i <= NF; i++) { s += $i; n++ } } END { printf "%.0f", s / n }'; }
# row OPERATION OURS REFERENCE RATIO: one line of a figures table.
row() { printf '%-44s %10s %10s %8s\n' "$@"; }
