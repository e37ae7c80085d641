#!/usr/bin/env bash
# What an idle Roster cluster costs: CPU of each member while no client sends anything, and which
# threads use it (issue 15's goal: a 3-member cluster under 3% of one core in total).
#
#   bench/idle.sh                       # 3 members, 30 s to settle, 60 s measured
#   BENCH_SIZES="1 3" bench/idle.sh     # a single node too
#
# Settings: BENCH_SIZES (default 3), BENCH_SETTLE (s, default 30), BENCH_DURATION (s, default 60),
# ROSTER_JAR, BENCH_ROSTER_JVM_OPTS, BENCH_OUT (default bench/results/idle-<timestamp>).
# Member CPU is read from /proc (utime+stime), so other load on the machine does not change it much.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
SIZES=${BENCH_SIZES:-3}
SETTLE=${BENCH_SETTLE:-30}
DURATION=${BENCH_DURATION:-60}
OUT=${BENCH_OUT:-"$BENCH_DIR/results/idle-$(date +%Y%m%d-%H%M%S)"}
JVM_OPTS=${BENCH_ROSTER_JVM_OPTS:-"-Xms1g -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError"}
mkdir -p "$OUT"
WORK=$(mktemp -d)
install_traps
resolve_jar
log "jar: $JAR ($JAR_ORIGIN)"

{
  echo "Roster idle cost ($(date -u +%Y-%m-%dT%H:%MZ), $(git -C "$BENCH_DIR" rev-parse --short HEAD)): ${SETTLE} s to settle, ${DURATION} s measured"
  for n in $SIZES; do
    start_with_retries roster "$n"
    sleep "$SETTLE"   # not a wait for a condition: the quiet time being measured has to pass
    before=$(proc_ticks "${NODE_PIDS[@]}")
    thread_ticks "${NODE_PIDS[@]}" >"$WORK/threads-before"
    sleep "$DURATION"
    after=$(proc_ticks "${NODE_PIDS[@]}")
    thread_ticks "${NODE_PIDS[@]}" >"$WORK/threads-after"
    echo
    awk -v b="$before" -v a="$after" -v hz="$CLK_TCK" -v s="$DURATION" -v n="$n" \
      'BEGIN { printf "%d member(s): %.2f%% of one core in total, %.2f%% per member\n", n, 100 * (a - b) / hz / s, 100 * (a - b) / hz / s / n }'
    echo "by thread group (% of one core, all members together):"
    thread_report "$WORK/threads-before" "$WORK/threads-after" "$DURATION" | head -15
    stop_cluster
  done
} | tee "$OUT/summary.txt"
