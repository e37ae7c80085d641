#!/usr/bin/env bash
# Roster vs etcd load benchmark: same machine, same cluster sizes, same keys and values, same client
# (wrk + bench/kv.lua), one system running at a time. See docs/benchmarks.md for what it measures.
#
#   bench/run.sh                       # full run: 1- and 3-node clusters, 1/16/64/256 clients, 10 s a row
#   BENCH_QUICK=1 bench/run.sh         # smoke test: 3 s a row, 1 and 64 clients
#
# Settings (environment):
#   ROSTER_JAR            server jar (default: <repo>/target/roster.jar, built with ./mvnw if missing)
#   BENCH_DURATION        seconds per measured row (default 10; 3 with BENCH_QUICK=1)
#   BENCH_JVM_WARMUP      unrecorded seconds of load (64 clients, split over the operations) after the
#                         preload, before any row: the JIT needs about a minute of load to settle on 3 JVMs
#                         sharing 2 cores (default 45; 6 quick). Done identically for etcd.
#   BENCH_WARMUP          unrecorded seconds before the first row of each operation (default 5; 2 quick)
#   BENCH_CLIENTS         concurrent connections per row (default "1 16 64 256"; "1 64" quick)
#   BENCH_SIZES           cluster sizes (default "1 3")
#   BENCH_OPS             operations (default "put get get-serializable")
#   BENCH_SYSTEMS         systems (default "roster etcd")
#   BENCH_PEER_TLS=1      Roster members talk mutual TLS (certificates made by scripts/peer-certs.sh)
#   BENCH_AUTH=1          Roster requires a client token, which every request sends (BENCH_SYSTEMS=roster)
#   BENCH_KEYS            keyspace size (default 10000)
#   BENCH_VALUE_SIZE      value size in bytes (default 256)
#   BENCH_ROSTER_JVM_OPTS JVM flags for each Roster node (default "-Xms1g -Xmx1g -XX:+UseG1GC
#                         -XX:+ExitOnOutOfMemoryError")
#   BENCH_JFR=1           record a JFR profile (settings=profile) of every Roster node into the results dir.
#                         Beware: JRaft installs a SIGUSR2 handler, the signal HotSpot's sampler uses, so
#                         with JFR each sample starts a "SIGUSR2 handler" thread and logs a WARN, few
#                         execution samples are recorded, and the figures suffer (docs/benchmarks.md)
#   BENCH_TMPDIR          where the temporary data dirs go (default /tmp; must be a real disk, not tmpfs)
#   BENCH_OUT             results dir (default bench/results/<timestamp>); kept after the run
#   BENCH_SPREAD=leader   send every request to the leader instead of spreading them over all nodes
#                         (a diagnostic: shows what forwarding from followers costs)
#   BENCH_SPREAD=followers  send every request to the followers, so that every write is forwarded
#                         (compare its CPU per request with BENCH_SPREAD=leader's)
#   BENCH_NICE=-10        run servers and wrk at this niceness, and the script's session (scheduler
#                         autogroup) too, so that other work on a shared machine disturbs the figures
#                         less (negative values need root); off by default
#   BENCH_PERF=0          do not count fsync/fdatasync calls and context switches of the servers with
#                         `perf stat` (on by default where perf can read the syscall tracepoints)
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LUA="$BENCH_DIR/kv.lua"

if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
  DURATION=${BENCH_DURATION:-3}; WARMUP=${BENCH_WARMUP:-2}; CLIENTS=${BENCH_CLIENTS:-"1 64"}
  JVM_WARMUP=${BENCH_JVM_WARMUP:-6}
else
  DURATION=${BENCH_DURATION:-10}; WARMUP=${BENCH_WARMUP:-5}; CLIENTS=${BENCH_CLIENTS:-"1 16 64 256"}
  JVM_WARMUP=${BENCH_JVM_WARMUP:-45}
fi
SIZES=${BENCH_SIZES:-"1 3"}
OPS=${BENCH_OPS:-"put get get-serializable"}
SYSTEMS=${BENCH_SYSTEMS:-"roster etcd"}
NKEYS=${BENCH_KEYS:-10000}
VALUE_SIZE=${BENCH_VALUE_SIZE:-256}
BASE_JVM_OPTS=${BENCH_ROSTER_JVM_OPTS:-"-Xms1g -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError"}
JVM_OPTS=$BASE_JVM_OPTS
WARMUP_CONNS=64
PRELOAD_CONNS=64
PAUSE=1
OUT=${BENCH_OUT:-"$BENCH_DIR/results/$(date +%Y%m%d-%H%M%S)"}
NICE=(env)
[[ -n "${BENCH_NICE:-}" ]] && NICE=(nice -n "$BENCH_NICE")
AUTOGROUP_WAS=""

# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
on_cleanup() {
  [[ -n "$AUTOGROUP_WAS" ]] && echo "$AUTOGROUP_WAS" >"/proc/$$/autogroup" 2>/dev/null
  return 0
}
install_traps

# ---------------------------------------------------------------------------------- measurement
run_wrk() {   # run_wrk SYSTEM OP CLIENTS SECONDS OUTFILE
  local system=$1 op=$2 c=$3 secs=$4 out=$5
  plan "$c"
  BENCH_SYSTEM=$system BENCH_OP=$op BENCH_TARGETS=$P_TARGETS BENCH_KEYS=$NKEYS BENCH_VALUE_SIZE=$VALUE_SIZE \
    BENCH_THREADS=$P_THREADS timeout --foreground -s INT $((secs + 60)) \
    "${NICE[@]}" wrk -t"$P_THREADS" -c"$P_CONNS" -d"${secs}s" --timeout 10s -s "$LUA" "http://${P_TARGETS%%,*}/" \
    >"$out" 2>&1 || true
}


RESULTS=""
measure() {   # measure NODES SYSTEM OP CLIENTS
  local nodes=$1 system=$2 op=$3 c=$4
  local out="$OUT/raw/$system-$nodes-$op-c$c.txt"
  local m0 m1 s0 s1 t0 t1 wrk_cpu
  plan "$c"   # run_wrk plans again in its subshell; this sets P_CONNS here
  local perf_pid=""
  if [[ $PERF_OK == 1 ]]; then
    perf stat -x, -e "$PERF_EVENTS" -p "$(IFS=,; echo "${NODE_PIDS[*]}")" -o "$out.perf" >/dev/null 2>&1 &
    perf_pid=$!; PIDS+=("$perf_pid")
    sleep 2   # attaching to every thread of three JVMs takes perf about a second
  fi
  thread_ticks "${NODE_PIDS[@]}" >"$out.threads0"
  m0=$(machine_ticks); s0=$(proc_ticks "${NODE_PIDS[@]}"); t0=$(date +%s.%N)
  local TIMEFORMAT='%U %S'
  wrk_cpu=$( { time run_wrk "$system" "$op" "$c" "$DURATION" "$out"; } 2>&1 )
  m1=$(machine_ticks); s1=$(proc_ticks "${NODE_PIDS[@]}"); t1=$(date +%s.%N)
  thread_ticks "${NODE_PIDS[@]}" >"$out.threads1"
  local syncs=NA cs=NA
  if [[ -n $perf_pid ]]; then
    kill -INT "$perf_pid" 2>/dev/null || true; wait "$perf_pid" 2>/dev/null || true; forget_pid "$perf_pid"
    # Counted over the whole wrk run plus a little idle time around it (which adds no fsyncs and few
    # context switches), so per-request figures are slight overestimates, equally for both systems.
    syncs=$(awk -F, '$3 ~ /sync/ { n += $1 } END { print n + 0 }' "$out.perf" 2>/dev/null || echo NA)
    cs=$(awk -F, '$3 == "context-switches" { print $1 + 0 }' "$out.perf" 2>/dev/null || echo NA)
  fi
  thread_report "$out.threads0" "$out.threads1" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" >"${out%.txt}.threads.txt"
  rm -f "$out.threads0" "$out.threads1"
  local req dur non miss errs p50 p99 rps
  req=$(result_field requests "$out")
  if [[ -z "$req" ]]; then
    log "  wrk produced no result for $system $op c=$c: $(tail -n 3 "$out" | tr '\n' ' ')"
    RESULTS+="$nodes	$system	$op	$c	$P_CONNS	NA	NA	NA	NA	NA	NA	NA	NA	NA	NA	NA	NA	NA	NA"$'\n'
    return
  fi
  dur=$(result_field duration_us "$out"); non=$(result_field non2xx "$out"); miss=$(result_field misses "$out")
  errs=$(( $(result_field err_connect "$out") + $(result_field err_read "$out") + $(result_field err_write "$out") + $(result_field err_timeout "$out") ))
  p50=$(result_field p50_us "$out"); p99=$(result_field p99_us "$out")
  rps=$(awk -v r="$req" -v n="$non" -v m="$miss" -v d="$dur" 'BEGIN { printf "%.0f", (r - n - m) / (d / 1e6) }')
  # CPU over the row, in % of one core (the machine has $(nproc) cores): servers, wrk, everything else.
  local cpu
  cpu=$(awk -v m0="$m0" -v m1="$m1" -v s0="$s0" -v s1="$s1" -v w="$wrk_cpu" -v t0="$t0" -v t1="$t1" -v hz="$CLK_TCK" '
    BEGIN { split(m0, a, " "); split(m1, b, " "); split(w, ww, " ");
            el = t1 - t0; busy = (b[1] - a[1]) / hz; srv = (s1 - s0) / hz; wk = ww[1] + ww[2];
            other = busy - srv - wk; if (other < 0) other = 0;
            printf "%.0f\t%.0f\t%.0f", 100 * srv / el, 100 * wk / el, 100 * other / el }')
  RESULTS+="$nodes	$system	$op	$c	$P_CONNS	$rps	$p50	$p99	$non	$miss	$errs	$cpu	$(result_field codes "$out")	$req	$(awk -v d="$dur" 'BEGIN { printf "%.2f", d / 1e6 }')	${syncs:-NA}	${cs:-NA}"$'\n'
  local flag=""
  [[ $((non + miss + errs)) -gt 0 ]] && flag="  ERRORS: non2xx=$non misses=$miss socket=$errs $(result_field codes "$out")"
  log "  $system $nodes-node $op c=$c (conns $P_CONNS): $rps req/s p50 $(us_ms "$p50") ms p99 $(us_ms "$p99") ms; CPU% srv/wrk/other $(tr '\t' '/' <<<"$cpu")$flag"
}

# Writes every key once: wrk with the "preload" op in the background until the count reaches NKEYS.
key_count() {
  local system=$1 port=${CLIENT_PORTS[0]}
  if [[ $system == roster ]]; then
    curl -s "http://127.0.0.1:$port/v1/kv/bench/key-?prefix=true&limit=1" | json_field count
  else
    curl -s -X POST -d "{\"key\":\"$(printf 'bench/key-' | base64)\",\"range_end\":\"$(printf 'bench/key.' | base64)\",\"count_only\":true}" \
      "http://127.0.0.1:$port/v3/kv/range" | json_field count
  fi
}
preload() {
  local system=$1 out="$OUT/raw/$system-$2-preload.txt"
  plan "$PRELOAD_CONNS"
  BENCH_SYSTEM=$system BENCH_OP=preload BENCH_TARGETS=$P_TARGETS BENCH_KEYS=$NKEYS BENCH_VALUE_SIZE=$VALUE_SIZE \
    BENCH_THREADS=$P_THREADS wrk -t"$P_THREADS" -c"$P_CONNS" -d300s --timeout 10s -s "$LUA" \
    "http://${P_TARGETS%%,*}/" >"$out" 2>&1 &
  local wpid=$! count=0 end=$((SECONDS + 300))
  PIDS+=("$wpid")
  while kill -0 "$wpid" 2>/dev/null && [[ $SECONDS -lt $end ]]; do
    sleep 0.5
    count=$(key_count "$system"); count=${count:-0}
    [[ $count -ge $NKEYS ]] && break
  done
  kill -INT "$wpid" 2>/dev/null || true
  wait "$wpid" 2>/dev/null || true
  forget_pid "$wpid"
  count=$(key_count "$system")
  [[ "${count:-0}" -eq $NKEYS ]] || die "$system preload: expected $NKEYS keys, found ${count:-none} (see $out)"
  local non; non=$(result_field non2xx "$out")
  [[ "${non:-1}" == 0 ]] || log "  WARNING: $system preload saw ${non:-?} non-2xx responses (see $out)"
  log "  preloaded $NKEYS keys ($(result_field requests "$out") writes, non-2xx ${non:-?})"
}

bench_system() {   # bench_system SYSTEM NODES
  local system=$1 n=$2 op c
  JVM_OPTS=$BASE_JVM_OPTS
  [[ "${BENCH_JFR:-0}" == 1 ]] && JVM_OPTS+=" -XX:StartFlightRecording=filename=$OUT/roster-$n-%n.jfr,settings=profile,dumponexit=true"
  start_with_retries "$system" "$n"
  log "  ready: client ports ${CLIENT_PORTS[*]}, leader on $LEADER_PORT"
  preload "$system" "$n"
  if [[ $JVM_WARMUP -gt 0 ]]; then
    local nops; nops=$(wc -w <<<"$OPS")
    log "  warming up: ${JVM_WARMUP}s of load, unrecorded"
    for op in $OPS; do
      run_wrk "$system" "$op" "$WARMUP_CONNS" $(( (JVM_WARMUP + nops - 1) / nops )) "$OUT/raw/$system-$n-$op-jvmwarmup.txt"
    done
  fi
  for op in $OPS; do
    if [[ $WARMUP -gt 0 ]]; then   # unrecorded: JIT warm-up for Roster, done identically for etcd
      run_wrk "$system" "$op" "$WARMUP_CONNS" "$WARMUP" "$OUT/raw/$system-$n-$op-warmup.txt"
      sleep "$PAUSE"
    fi
    for c in $CLIENTS; do
      measure "$n" "$system" "$op" "$c"
      sleep "$PAUSE"
    done
  done
  log "stopping $system"
  stop_cluster
}

# ------------------------------------------------------------------------------------------ report
report() {
  local r="$OUT/results.tsv"
  {
    echo "# nodes	system	op	clients	conns	req_per_s	p50_us	p99_us	non2xx	misses	socket_errors	srv_cpu_pct	wrk_cpu_pct	other_cpu_pct	codes	requests	seconds	server_fsyncs	server_context_switches"
    printf '%s' "$RESULTS"
  } >"$r"
  awk -f "$BENCH_DIR/report.awk" "$r"
}

# -------------------------------------------------------------------------------------------- main
install_deps etcd
resolve_jar
etcd_env

mkdir -p "$OUT/raw"
# With the scheduler's autogroups (Debian's default), CPU is first shared between sessions, and a
# process's own niceness only counts inside its session: set the session's niceness too, and restore
# it on exit.
if [[ -n "${BENCH_NICE:-}" && -w "/proc/$$/autogroup" ]]; then
  AUTOGROUP_WAS=$(sed -n 's/.* nice //p' "/proc/$$/autogroup")
  echo "$BENCH_NICE" >"/proc/$$/autogroup" || AUTOGROUP_WAS=""
fi
PERF_EVENTS="syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync,context-switches"
PERF_OK=0
if [[ "${BENCH_PERF:-1}" == 1 ]] && command -v perf >/dev/null && perf stat -e "$PERF_EVENTS" -o /dev/null true >/dev/null 2>&1; then
  PERF_OK=1
fi
WORK=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/roster-bench.XXXXXX")
FSTYPE=$(df -PT "$WORK" | awk 'NR == 2 { print $2 }')
[[ $FSTYPE == tmpfs ]] && log "WARNING: $WORK is on tmpfs: fsync costs nothing there; set BENCH_TMPDIR to a real disk"
roster_security_setup

rows=0; for _ in $SIZES; do for _ in $OPS; do for _ in $CLIENTS; do rows=$((rows + 1)); done; done; done
nsys=$(wc -w <<<"$SYSTEMS")
log "results in $OUT; about $(( (rows * (DURATION + PAUSE + 3) + $(wc -w <<<"$SIZES") * ($(wc -w <<<"$OPS") * (WARMUP + PAUSE) + JVM_WARMUP + 40)) * nsys / 60 + 1 )) min"
m0=$(machine_ticks); sleep 2; m1=$(machine_ticks)
BUSY_BEFORE=$(awk -v a="$m0" -v b="$m1" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.0f", 100 * (y[1] - x[1]) / (y[2] - x[2]) * '"$(nproc)"' }')
[[ $BUSY_BEFORE -gt 20 ]] && log "WARNING: the machine is already busy (${BUSY_BEFORE}% of one core used by other processes); figures will be noisy"

for n in $SIZES; do
  for system in $SYSTEMS; do
    bench_system "$system" "$n"
  done
done

{
  echo "Roster vs etcd, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr), $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "data dirs on: $FSTYPE ($(df -P "$WORK" | awk 'NR == 2 { print $1 }')); other load before the run: ${BUSY_BEFORE}% of one core"
  echo "Roster: ${ROSTER_VERSION:-?}, jar $JAR ($JAR_ORIGIN)"
  echo "Java: $(java -version 2>&1 | head -n1); JVM flags: $JVM_OPTS"
  [[ -n "${BENCH_NICE:-}" ]] && echo "servers and wrk ran at niceness $BENCH_NICE"
  echo "etcd: $(etcd --version | head -n1 | sed 's/etcd Version: //') ($(etcd --version | sed -n 's/Go Version: //p'))"
  echo "wrk: $(wrk -v 2>&1 | head -n1 | awk '{ print $2 }'); $DURATION s per row; unrecorded warm-up: ${JVM_WARMUP} s per cluster + ${WARMUP} s per operation, 64 clients; keys: $NKEYS x 26 bytes, values $VALUE_SIZE bytes"
  echo "req/s counts 2xx answers only; err = non-2xx + read misses + socket errors"
  echo "CPU = the servers' CPU, oth = CPU used by everything but the servers and wrk (other load on the machine), both in % of one core (max $(( $(nproc) * 100 )))"
  echo "clients N(M): M connections actually used (N rounded down to a multiple of the node count)"
  [[ "${BENCH_SPREAD:-all}" == leader ]] && echo "BENCH_SPREAD=leader: every request went to the leader"
  [[ "${BENCH_SPREAD:-all}" == followers ]] && echo "BENCH_SPREAD=followers: every request went to a follower"
  echo
  report
} | tee "$OUT/summary.txt"
log "raw wrk output, results.tsv and summary.txt in $OUT"
