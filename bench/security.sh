#!/usr/bin/env bash
# What Roster's security costs: the same 3-member runs with it off and on, alternated, medians compared.
#
#   bench/security.sh                 # 3 rounds: about 25 minutes
#   BENCH_ROUNDS=1 bench/security.sh  # one round, for a first look (treat one run as ±40%)
#   BENCH_ROWS=heartbeat bench/security.sh   # only the heartbeat pair (or only put)
#
# Each round runs, on a fresh cluster each time:
#   put        64 clients spread over every member (bench/run.sh)          peer TLS off, then on
#   heartbeat  64 clients spread over every member (bench/registry.sh)    peer TLS and auth off, then
#                                                                          on: users and roles, each
#                                                                          request signed in as a user
#                                                                          (BENCH_SECURED_AUTH=1: a
#                                                                          static client token instead)
# and the summary gives the median rate, p99 and server CPU per request of each, and on/off ratios
# (docs/benchmarks.md, "What security costs": goals 0.9x for writes, 0.8x for heartbeats).
# Settings: BENCH_ROWS (default "put heartbeat"), BENCH_ROUNDS (default 3), BENCH_JVM_WARMUP (default 60), BENCH_DURATION (default 10),
# BENCH_OUT (default bench/results/security-<timestamp>); the rest as for run.sh and registry.sh.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROUNDS=${BENCH_ROUNDS:-3}
ROWS=" ${BENCH_ROWS:-put heartbeat} "
OUT=${BENCH_OUT:-"$BENCH_DIR/results/security-$(date +%Y%m%d-%H%M%S)"}
mkdir -p "$OUT"
export BENCH_SYSTEMS=roster BENCH_SIZES=3 BENCH_CLIENTS=64 BENCH_JVM_WARMUP=${BENCH_JVM_WARMUP:-60} BENCH_PROFILE=0

run() {   # run <name> <script> <op> [VAR=value...]: one run into $OUT/<name>-<round>
  local name=$1 script=$2 op=$3
  shift 3
  env "$@" BENCH_OPS="$op" BENCH_OUT="$OUT/$name-$round" "$BENCH_DIR/$script" >"$OUT/$name-$round.log" 2>&1 \
    || { echo "$name round $round failed: see $OUT/$name-$round.log" >&2; return 1; }
  echo "$(date +%H:%M:%S) $name round $round: $(grep -v '^#' "$OUT/$name-$round/results.tsv" | head -1 | cut -f1-8)"
}

for round in $(seq 1 "$ROUNDS"); do
  if [[ $ROWS == *" put "* ]]; then
    run put-plain run.sh put BENCH_PEER_TLS=0 BENCH_AUTH=0
    run put-tls run.sh put BENCH_PEER_TLS=1 BENCH_AUTH=0
  fi
  if [[ $ROWS == *" heartbeat "* ]]; then
    run heartbeat-plain registry.sh heartbeat BENCH_PEER_TLS=0 BENCH_AUTH=0
    run heartbeat-secured registry.sh heartbeat BENCH_PEER_TLS=1 BENCH_AUTH=${BENCH_SECURED_AUTH:-users}
  fi
done

# results.tsv columns: run.sh's rate is field 6, p99 8, server CPU % 12; registry.sh's 5, 7 and 11.
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "NA"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column() {   # column <name> <field>: that field of every round's row
  local f
  for f in "$OUT/$1"-*/results.tsv; do
    if [[ -f $f ]]; then grep -v '^#' "$f" | head -1 | cut -f"$2"; fi
  done
}
cpu_us() {   # cpu_us <name> <rate field> <cpu field>: server CPU microseconds per request, per round
  local f
  for f in "$OUT/$1"-*/results.tsv; do
    grep -v '^#' "$f" | head -1 | awk -F'\t' -v r="$2" -v c="$3" '$r > 0 { printf "%.0f\n", $c / 100 * 1e6 / $r }'
  done
}
ratio() {   # ratio <on> <off> <field> <what> <goal>: the medians' ratio, when both rows ran
  local on off
  on=$(column "$1" "$3" | median) off=$(column "$2" "$3" | median)
  [[ $on == NA || $off == NA ]] || awk -v a="$on" -v b="$off" -v what="$4" -v goal="$5" \
    'BEGIN { printf "%s: %.2fx (goal >= %s)\n", what, a / b, goal }'
}
{
  echo "Roster security cost, 3 members, 64 clients spread over every member, $ROUNDS round(s), medians ($(date -u +%Y-%m-%dT%H:%MZ), $(git -C "$BENCH_DIR" rev-parse --short HEAD))"
  # Other CPU is what neither the members nor the load generator used: above a few percent, something
  # else ran on the machine and the rates are not comparable.
  printf '%-20s %10s %10s %14s %12s\n' run "req/s" "p99 ms" "CPU us/req" "other CPU %"
  for spec in "put-plain 6 8 12 14" "put-tls 6 8 12 14" "heartbeat-plain 5 7 11 13" "heartbeat-secured 5 7 11 13"; do
    read -r name rate p99 cpu other <<<"$spec"
    compgen -G "$OUT/$name-*/results.tsv" >/dev/null || continue
    printf '%-20s %10s %10s %14s %12s\n' "$name" "$(column "$name" "$rate" | median)" \
      "$(column "$name" "$p99" | median | awk '{ printf "%.1f", $1 / 1000 }')" "$(cpu_us "$name" "$rate" "$cpu" | median)" \
      "$(column "$name" "$other" | median)"
  done
  ratio put-tls put-plain 6 "writes with peer TLS, of plain" 0.9
  ratio heartbeat-secured heartbeat-plain 5 "heartbeats with peer TLS and auth (${BENCH_SECURED_AUTH:-users}), of both off" 0.8
} | tee "$OUT/summary.txt"
