#!/usr/bin/env bash
# How soon a watch on each member sees a lone write: a 3-member cluster, a watch open on every member,
# lone PUTs to the leader 0.3-0.7 s apart, and per member the time from each PUT's 200 to its event.
#
#   bench/watch-lag.sh                  # 3 members, 40 writes
#
# Settings: BENCH_WRITES (default 40), ROSTER_JAR, BENCH_ROSTER_JVM_OPTS,
# BENCH_OUT (default bench/results/watch-lag-<timestamp>). Needs python3.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
WRITES=${BENCH_WRITES:-40}
OUT=${BENCH_OUT:-"$BENCH_DIR/results/watch-lag-$(date +%Y%m%d-%H%M%S)"}
JVM_OPTS=${BENCH_ROSTER_JVM_OPTS:-"-Xms512m -Xmx512m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError"}
command -v python3 >/dev/null || die "python3 is needed"
mkdir -p "$OUT"
WORK=$(mktemp -d)
install_traps
install_deps
resolve_jar
log "jar: $JAR ($JAR_ORIGIN)"

{
  echo "Roster watch lag ($(date -u +%Y-%m-%dT%H:%MZ), $(git -C "$BENCH_DIR" rev-parse --short HEAD)): $WRITES lone writes to the leader"
  start_with_retries roster 3
  python3 "$BENCH_DIR/watch-lag.py" "$WRITES" "$LEADER_PORT" "${CLIENT_PORTS[@]}"
  stop_cluster
} | tee "$OUT/summary.txt"
