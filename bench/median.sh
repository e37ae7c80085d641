#!/usr/bin/env bash
# Combines the results.tsv of several bench/run.sh runs into one table of per-row medians.
#
#   bench/median.sh bench/results/*/results.tsv
#
# Each numeric column is the median of that column over the runs, taken on its own (the median p99 need
# not come from the run with the median req/s); the error columns are the maximum over the runs, so an
# error in any run still shows. With -t, prints the combined rows as results.tsv instead of the table.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tsv_only=0
[[ "${1:-}" == -t ]] && { tsv_only=1; shift; }
[[ $# -ge 1 ]] || { echo "usage: $0 [-t] results.tsv..." >&2; exit 2; }

combined=$(awk -F'\t' '
  function median(list,   a, m, i, j, t) {
    m = split(list, a, " ")
    for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
  }
  /^#/ { if (!header) header = $0; next }
  NF < 5 { next }
  {
    k = $1 FS $2 FS $3 FS $4 FS $5
    if (!(k in seen)) { seen[k] = 1; order[++n] = k }
    runs[k]++
    for (c = 6; c <= 19; c++) {
      if (c == 15) { if ($c != "-" && index(codes[k], $c) == 0) codes[k] = codes[k] (codes[k] == "" ? "" : ",") $c; continue }
      if ($c == "NA" || $c == "") { na[k, c] = 1; continue }
      if (c >= 9 && c <= 11) { if (!((k, c) in mx) || $c + 0 > mx[k, c]) mx[k, c] = $c + 0; continue }
      vals[k, c] = vals[k, c] " " $c
    }
  }
  END {
    print header
    for (j = 1; j <= n; j++) {
      k = order[j]; line = k
      for (c = 6; c <= 19; c++) {
        if (c == 15) v = (codes[k] == "") ? "-" : codes[k]
        else if (c >= 9 && c <= 11) v = ((k, c) in mx) ? mx[k, c] : "NA"
        else if ((k, c) in vals) { v = median(vals[k, c]); if (c != 17) v = sprintf("%.0f", v) }
        else v = "NA"
        line = line FS v
      }
      print line
    }
  }' "$@")

if [[ $tsv_only == 1 ]]; then
  printf '%s\n' "$combined"
else
  echo "Medians over $# run(s): $*"
  echo
  printf '%s\n' "$combined" | awk -f "$BENCH_DIR/report.awk"
fi
