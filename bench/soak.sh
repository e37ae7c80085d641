#!/usr/bin/env bash
# Registry soak: a 3-node Roster cluster on loopback holds SOAK_INSTANCES instances (TTL 30 s) that are
# heartbeated at their natural rate for SOAK_DURATION, and this script checks that none expires falsely,
# counts heartbeat errors, and measures the heap each registered instance costs. See docs/benchmarks.md,
# "Soak", for the results.
#
#   bench/soak.sh                  # 100,000 instances, 10 minutes of heartbeats (about 15 minutes in all)
#   SOAK_QUICK=1 bench/soak.sh     # smoke test: 10,000 instances, 100 s
#
# What it does:
#   1. starts 3 nodes (JVM flags below) and reads each one's live heap (jcmd GC.class_histogram: a full GC
#      and the sum of the live objects, in one safepoint): the baseline;
#   2. one wrk (bench/registry-soak.lua, 3 threads, one per node, SOAK_CONNS connections) registers every
#      instance (ttlSeconds SOAK_TTL, spread over SOAK_SERVICES services) as fast as it can and heartbeats
#      each registered instance every SOAK_INTERVAL seconds from then on: instances / interval per second;
#   3. once every node has every instance: live heap on each node again (loaded), then the soak
#      proper for SOAK_DURATION, sampling every SOAK_SAMPLE seconds on every node roster_registry_instances
#      (must stay = instances), roster_lease_expired_total (must stay 0), heap and CPU, and the client's
#      counters (heartbeats sent and answered, errors, the longest gap between two heartbeats of one instance);
#   4. live heap again at the end (growth while only heartbeats ran), stops wrk and the
#      cluster, prints the report and exits non-zero if any check failed.
# A false expiry is an instance lost while the client kept to its schedule (longest gap < TTL).
#
# Settings (environment):
#   ROSTER_JAR          server jar (default: <repo>/target/roster.jar, built with ./mvnw if missing)
#   SOAK_INSTANCES      instances (default 100000; 10000 with SOAK_QUICK=1)
#   SOAK_SERVICES       services they are spread over (default 100)
#   SOAK_TTL            ttlSeconds of every instance (default 30)
#   SOAK_INTERVAL       seconds between two heartbeats of one instance (default 15 = TTL/2: 6,667/s for 100,000
#                       instances, leaving half the TTL as margin). TTL/3 = 10 s (10,000/s) is the usual
#                       client setting, but is more than a 2-core machine with the client on it can serve
#                       (see docs/benchmarks.md, "Soak"); use SOAK_INTERVAL=10 on a bigger machine.
#   SOAK_DURATION       seconds of heartbeats after everything is registered (default 600; 100 quick)
#   SOAK_SAMPLE         seconds between samples (default 10)
#   SOAK_CONNS          wrk connections, split over the 3 nodes (default 48)
#   SOAK_REGISTER_LIMIT seconds allowed for registering everything (default 300)
#   SOAK_JVM_OPTS       JVM flags per node (default "-Xms1g -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError",
#                       plus -Xlog:gc to a file per node, summarised in the report)
#   SOAK_TMPDIR         where the temporary data dirs go (default /tmp)
#   SOAK_OUT            results dir (default bench/results/soak-<timestamp>); kept after the run
#   SOAK_NICE=-10       run servers and wrk at this niceness (negative needs root); off by default
#   SOAK_QUIET_WAIT=S   on a shared machine, wait up to S seconds at the start for other processes to use
#                       under 30% of one core (default 0: do not wait)
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
LUA="$BENCH_DIR/registry-soak.lua"

if [[ "${SOAK_QUICK:-0}" == 1 ]]; then
  INSTANCES=${SOAK_INSTANCES:-10000}; DURATION=${SOAK_DURATION:-100}
else
  INSTANCES=${SOAK_INSTANCES:-100000}; DURATION=${SOAK_DURATION:-600}
fi
SERVICES=${SOAK_SERVICES:-100}
TTL=${SOAK_TTL:-30}
INTERVAL=${SOAK_INTERVAL:-15}
SAMPLE=${SOAK_SAMPLE:-10}
CONNS=${SOAK_CONNS:-48}
REGISTER_LIMIT=${SOAK_REGISTER_LIMIT:-300}
NODES=3
BASE_JVM_OPTS=${SOAK_JVM_OPTS:-"-Xms1g -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError"}
OUT=${SOAK_OUT:-"$BENCH_DIR/results/soak-$(date +%Y%m%d-%H%M%S)"}
NICE=(env)
[[ -n "${SOAK_NICE:-}" ]] && NICE=(nice -n "$SOAK_NICE")
TARGET_HEAP_PER_INSTANCE=1024

[[ $INTERVAL -lt $TTL ]] || die "SOAK_INTERVAL ($INTERVAL) must be less than SOAK_TTL ($TTL)"
install_traps
WRK_PID=""
on_cleanup() {   # stop wrk first so that it does not count the cluster's shutdown as errors
  if [[ -n "$WRK_PID" ]] && kill -0 "$WRK_PID" 2>/dev/null; then
    kill -INT "$WRK_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$WRK_PID" 2>/dev/null || break; sleep 0.2; done
  fi
  # the GC logs are not *.log at the top of $WORK: copy them too
  [[ -n "$WORK" && -d "$WORK" ]] && { mkdir -p "$OUT/logs"; cp "$WORK"/gc-*.txt "$OUT/logs/" 2>/dev/null || true; }
}

client_stats() {   # sums of the per-thread counter files: "reg_sent=.. reg_ok=.. ..."
  cat "$WORK/stats/"t* 2>/dev/null | awk '
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "max_gap_ms") { if (kv[2] + 0 > g) g = kv[2] + 0 } else s[kv[1]] += kv[2] } }
    END { printf "reg_sent=%d reg_ok=%d hb_sent=%d hb_ok=%d non2xx=%d hb404=%d late=%d max_gap_ms=%d registered=%d of=%d rereg=%d unpaired=%d inflight=%d\n",
          s["reg_sent"], s["reg_ok"], s["hb_sent"], s["hb_ok"], s["non2xx"], s["hb404"], s["late"], g, s["registered"], s["of"], s["rereg"], s["unpaired"], s["inflight"] }'
}
stat_field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

heap_all() {   # heap_all LABEL : live heap on each node, followers first (a full GC pauses the node);
  local label=$1 i order=() out=()   # the histograms go to $OUT/histogram-LABEL-<node>.txt
  for i in "${!NODE_PIDS[@]}"; do [[ ${CLIENT_PORTS[$i]} != "$LEADER_PORT" ]] && order+=("$i"); done
  for i in "${!NODE_PIDS[@]}"; do [[ ${CLIENT_PORTS[$i]} == "$LEADER_PORT" ]] && order+=("$i"); done
  for i in "${order[@]}"; do out[$i]=$(heap_after_gc "${NODE_PIDS[$i]}" "$OUT/histogram-$label-${NODE_NAMES[$i]}.txt"); sleep 1; done
  echo "${out[*]}"
}

SAMPLES="$OUT/samples.tsv"
sample() {   # sample PHASE ELAPSED : one line per sample into samples.tsv
  local phase=$1 el=$2 i inst="" exp="" heap="" stats cpu
  for i in "${!CLIENT_PORTS[@]}"; do
    local body; body=$(curl -s --max-time 10 "http://127.0.0.1:${CLIENT_PORTS[$i]}/actuator/prometheus" || true)
    inst+="${inst:+ }$(awk '$0 !~ /^#/ && $1 ~ /^roster_registry_instances/ { s += $NF; n++ } END { if (n) printf "%.0f", s; else print "NA" }' <<<"$body")"
    exp+="${exp:+ }$(awk '$0 !~ /^#/ && $1 ~ /^roster_lease_expired_total/ { s += $NF; n++ } END { if (n) printf "%.0f", s; else print "NA" }' <<<"$body")"
    heap+="${heap:+ }$(awk '$0 !~ /^#/ && $1 ~ /^jvm_memory_used_bytes\{/ && $1 ~ /area="heap"/ { s += $NF; n++ } END { if (n) printf "%.0f", s / 1048576; else print "NA" }' <<<"$body")"
  done
  stats=$(client_stats)
  local t1 n1; t1=$(date +%s.%N); n1=$(per_node_ticks); SAMPLE_T=$t1
  node_cpu_since "$n1" "$t1"; cpu=$CPU_SINCE
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date +%H:%M:%S)" "$phase" "$el" "$inst" "$exp" "$heap" "$cpu $stats" >>"$SAMPLES"
  LAST_INST=$inst; LAST_EXP=$exp; LAST_STATS=$stats
}
per_node_ticks() { local p; for p in "${NODE_PIDS[@]}"; do printf '%s ' "$(proc_ticks "$p")"; done; }
PREV_TICKS=""; PREV_T=""
node_cpu_since() {   # CPU % of one core per node since the previous call, into CPU_SINCE (no subshell:
                     # it keeps the previous call's ticks)
  local now=$1 t=$2 out=""
  if [[ -n $PREV_TICKS ]]; then
    out=$(awk -v a="$PREV_TICKS" -v b="$now" -v t0="$PREV_T" -v t1="$t" -v hz="$CLK_TCK" 'BEGIN {
      k = split(a, x, " "); split(b, y, " "); s = ""
      for (i = 1; i <= k; i++) s = s (i > 1 ? "/" : "") sprintf("%.0f", 100 * (y[i] - x[i]) / hz / (t1 - t0)); print "cpu=" s }')
  else
    out="cpu=NA"
  fi
  PREV_TICKS=$now; PREV_T=$t
  CPU_SINCE=$out
}
all_equal() { local v; for v in $1; do [[ $v == "$2" ]] || return 1; done; }

# -------------------------------------------------------------------------------------------- main
install_deps
resolve_jar
mkdir -p "$OUT"
WORK=$(mktemp -d "${SOAK_TMPDIR:-/tmp}/roster-soak.XXXXXX")
mkdir -p "$WORK/stats"
JVM_OPTS="$BASE_JVM_OPTS -Xlog:gc:file=$WORK/gc-%n.txt:uptime"
wait_quiet "${SOAK_QUIET_WAIT:-0}"
BUSY_BEFORE=$(busy_now)
log "results in $OUT; $INSTANCES instances, TTL ${TTL}s, a heartbeat every ${INTERVAL}s each ($(( INSTANCES / INTERVAL ))/s), ${DURATION}s of soak"
[[ $BUSY_BEFORE -gt 20 ]] && log "WARNING: the machine is already busy (${BUSY_BEFORE}% of one core used by other processes)"
printf '# time\tphase\tseconds\tinstances_per_node\texpired_per_node\theap_mib_per_node\tcpu_pct_per_node and client counters\n' >"$SAMPLES"

start_with_retries roster "$NODES"
log "  ready: client ports ${CLIENT_PORTS[*]}, leader on $LEADER_PORT (nodes ${NODE_NAMES[*]}, pids ${NODE_PIDS[*]})"
sleep 5
HEAP_BASE=$(heap_all empty)
log "  live heap, empty (bytes per node): $HEAP_BASE"

plan "$CONNS"
targets=""; for port in "${CLIENT_PORTS[@]}"; do targets+="${targets:+,}127.0.0.1:$port"; done
WRK_LIMIT=$(( REGISTER_LIMIT + DURATION + 180 ))   # wrk stops by itself after this even if this script is gone
SOAK_TARGETS=$targets SOAK_THREADS=$NODES SOAK_INSTANCES=$INSTANCES SOAK_SERVICES=$SERVICES SOAK_TTL=$TTL \
  SOAK_INTERVAL=$INTERVAL SOAK_STATS="$WORK/stats" \
  "${NICE[@]}" wrk -t"$NODES" -c"$(( CONNS / NODES * NODES ))" -d"${WRK_LIMIT}s" --timeout 10s -s "$LUA" \
  "http://127.0.0.1:${CLIENT_PORTS[0]}/" >"$OUT/wrk.txt" 2>&1 &
WRK_PID=$!; PIDS+=("$WRK_PID")
T0=$SECONDS
log "registering $INSTANCES instances over $SERVICES services (wrk pid $WRK_PID, $(( CONNS / NODES * NODES )) connections)"
per_node_ticks >/dev/null; PREV_TICKS=$(per_node_ticks); PREV_T=$(date +%s.%N)
REGISTERED_AT=""
while [[ $((SECONDS - T0)) -lt $REGISTER_LIMIT ]]; do
  sleep 2
  kill -0 "$WRK_PID" 2>/dev/null || die "wrk exited during registration: $(tail -n 5 "$OUT/wrk.txt")"
  sample register $((SECONDS - T0))
  if all_equal "$LAST_INST" "$INSTANCES"; then REGISTERED_AT=$((SECONDS - T0)); break; fi
done
[[ -n $REGISTERED_AT ]] || die "not every instance registered after ${REGISTER_LIMIT}s: instances per node $LAST_INST; client $LAST_STATS"
REG_RATE=$(awk -v n="$INSTANCES" -v s="$REGISTERED_AT" 'BEGIN { printf "%.0f", n / s }')
log "  all $INSTANCES instances on every node after ${REGISTERED_AT}s (about $REG_RATE registrations/s); client: $LAST_STATS"
HEAP_LOADED=$(heap_all loaded)
log "  live heap, loaded: $HEAP_LOADED"

log "soak: heartbeats for ${DURATION}s, a sample every ${SAMPLE}s"
thread_ticks "${NODE_PIDS[@]}" >"$OUT/threads0.txt"; TT0=$(date +%s.%N)
S0=$SECONDS
HB0=""; HB0_T=""
MIN_INST=""; MAX_EXP=0; FAILS=()
while [[ $((SECONDS - S0)) -lt $DURATION ]]; do
  sleep "$SAMPLE"
  kill -0 "$WRK_PID" 2>/dev/null || { FAILS+=("wrk exited early"); break; }
  for pid in "${NODE_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || FAILS+=("a node (pid $pid) exited"); done
  [[ ${#FAILS[@]} -gt 0 ]] && break
  sample soak $((SECONDS - S0))
  # the heartbeat rate is measured from the first soak sample on (after the loaded-heap GCs)
  [[ -z $HB0 ]] && { HB0=$(stat_field hb_ok "$LAST_STATS"); HB0_T=$SAMPLE_T; }
  HB1=$(stat_field hb_ok "$LAST_STATS"); HB1_T=$SAMPLE_T
  for v in $LAST_INST; do
    [[ $v =~ ^[0-9]+$ ]] || continue
    [[ -z $MIN_INST || $v -lt $MIN_INST ]] && MIN_INST=$v
  done
  for v in $LAST_EXP; do [[ $v =~ ^[0-9]+$ && $v -gt $MAX_EXP ]] && MAX_EXP=$v; done
  log "  $((SECONDS - S0))s: instances $LAST_INST, expired $LAST_EXP; $(cut -f6-7 < <(tail -n1 "$SAMPLES") | tr '\t' ' ')"
done
SOAK_SECS=$((SECONDS - S0))
thread_ticks "${NODE_PIDS[@]}" >"$OUT/threads1.txt"; TT1=$(date +%s.%N)
END_STATS=$(client_stats)
HB_RATE=$(awk -v a="${HB0:-0}" -v b="${HB1:-0}" -v t0="${HB0_T:-0}" -v t1="${HB1_T:-0}" 'BEGIN { if (t1 > t0) printf "%.0f", (b - a) / (t1 - t0); else print "NA" }')
HEAP_END=$(heap_all end)
log "  live heap, end of soak: $HEAP_END"
sample end $SOAK_SECS
kill -INT "$WRK_PID" 2>/dev/null || true
wait "$WRK_PID" 2>/dev/null || true
forget_pid "$WRK_PID"; WRK_PID=""
RESULT=$(grep '^SOAKRESULT' "$OUT/wrk.txt" || true)
FINAL_EXP=""; for port in "${CLIENT_PORTS[@]}"; do FINAL_EXP+="${FINAL_EXP:+ }$(metric_value "$port" '^roster_lease_expired_total')"; done
LEADER_NOW=""; find_roster_leader >/dev/null 2>&1 && LEADER_NOW=$LEADER_PORT

# ------------------------------------------------------------------------------------------- report
per_instance() {   # per_instance "b1 b2 b3" "l1 l2 l3" -> "n1:123 n2:120 n3:130" bytes per instance
  awk -v a="$1" -v b="$2" -v n="$INSTANCES" -v names="${NODE_NAMES[*]}" 'BEGIN {
    k = split(a, x, " "); split(b, y, " "); split(names, nm, " "); s = ""
    for (i = 1; i <= k; i++) s = s (i > 1 ? " " : "") nm[i] ":" ((x[i] ~ /^[0-9]+$/ && y[i] ~ /^[0-9]+$/) ? sprintf("%.0f", (y[i] - x[i]) / n) : "NA"); print s }'
}
mib() { awk -v a="$1" 'BEGIN { k = split(a, x, " "); s = ""; for (i = 1; i <= k; i++) s = s (i > 1 ? " " : "") ((x[i] ~ /^[0-9]+$/) ? sprintf("%.1f", x[i] / 1048576) : "NA"); print s }'; }
PER_LOADED=$(per_instance "$HEAP_BASE" "$HEAP_LOADED")
PER_END=$(per_instance "$HEAP_BASE" "$HEAP_END")
MAX_PER=$(tr ' ' '\n' <<<"$PER_LOADED $PER_END" | cut -d: -f2 | sort -n | tail -n1)
RF() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$RESULT"; }
LEADER_NAME=""; for i in "${!CLIENT_PORTS[@]}"; do [[ ${CLIENT_PORTS[$i]} == "$LEADER_PORT" ]] && LEADER_NAME=${NODE_NAMES[$i]}; done

[[ -n $MIN_INST && $MIN_INST -eq $INSTANCES ]] || FAILS+=("roster_registry_instances fell to ${MIN_INST:-NA} (expected $INSTANCES on every node at every sample)")
[[ $MAX_EXP -eq 0 ]] && all_equal "$FINAL_EXP" 0 || FAILS+=("roster_lease_expired_total reached $MAX_EXP (end: $FINAL_EXP), expected 0")
[[ "$(stat_field non2xx "$END_STATS")" == 0 && "$(RF non2xx)" == 0 ]] || FAILS+=("heartbeat/registration errors: non-2xx $(RF non2xx) ($(RF codes)), of them 'not registered' $(RF hb404)")
SOCK=$(( $(RF err_connect) + $(RF err_read) + $(RF err_write) + $(RF err_timeout) ))
[[ $SOCK -eq 0 ]] || FAILS+=("socket errors/timeouts: $SOCK")
[[ -n $MAX_PER && $MAX_PER != NA && $MAX_PER -lt $TARGET_HEAP_PER_INSTANCE ]] || FAILS+=("heap per instance ${MAX_PER:-NA} B >= $TARGET_HEAP_PER_INSTANCE B")
GAP_OK=1; [[ $(RF max_gap_ms) -lt $((TTL * 1000)) ]] || GAP_OK=0
[[ $LEADER_NOW == "$LEADER_PORT" ]] || FAILS+=("the leader changed during the soak (was :$LEADER_PORT, now :${LEADER_NOW:-none})")

gc_summary() {   # from -Xlog:gc: pauses count, total and longest, per node
  local f
  for f in "$WORK"/gc-n*.txt; do
    [[ -f $f ]] || continue
    awk -v node="$(basename "$f" .txt | sed 's/gc-//')" '/Pause/ && match($0, /[0-9.]+ms$/) { v = substr($0, RSTART, RLENGTH - 2) + 0; n++; t += v; if (v > m) m = v }
      END { printf "  %s: %d pauses, %.0f ms in total, longest %.0f ms\n", node, n, t, m }' "$f"
  done
}

{
  echo "Registry soak, $(date -u +%Y-%m-%dT%H:%MZ): $NODES Roster nodes on loopback"
  machine_info
  echo "other load before the run: ${BUSY_BEFORE}% of one core"
  echo "Roster: ${ROSTER_VERSION:-?}, jar $JAR ($JAR_ORIGIN)"
  echo "Java: $(java -version 2>&1 | head -n1); JVM flags: $JVM_OPTS"
  echo "instances: $INSTANCES over $SERVICES services, ttlSeconds $TTL; heartbeat every ${INTERVAL}s per instance (target $(( INSTANCES / INTERVAL ))/s); soak ${SOAK_SECS}s; wrk $(( CONNS / NODES * NODES )) connections, one thread per node"
  echo "leader: $LEADER_NAME"
  echo
  echo "registration: every instance on every node after ${REGISTERED_AT}s (about $REG_RATE/s, heartbeats of the first ones already running)"
  echo "heartbeats during the soak: $HB_RATE/s answered 200 (target $(( INSTANCES / INTERVAL ))/s)"
  echo "client totals: registrations $(RF reg_ok)/$(RF reg_sent) ok, heartbeats $(RF hb_ok)/$(RF hb_sent) ok, non-2xx $(RF non2xx) ($(RF codes)), 'not registered' $(RF hb404) (registered again: $(RF rereg)), socket errors $SOCK"
  echo "client latency (registrations and heartbeats together): p50 $(us_ms "$(RF p50_us)") ms, p99 $(us_ms "$(RF p99_us)") ms, p99.9 $(us_ms "$(RF p999_us)") ms, max $(us_ms "$(RF max_us)") ms"
  echo "longest gap between two sends for one instance: $(RF max_gap_ms) ms (TTL $((TTL * 1000)) ms); heartbeats later than 2/3 TTL: $(RF late)"
  echo "roster_registry_instances, lowest on any node during the soak: ${MIN_INST:-NA} (expected $INSTANCES)"
  echo "roster_lease_expired_total, highest during the soak: $MAX_EXP; at the end per node: $FINAL_EXP"
  echo
  echo "live heap (MiB per node ${NODE_NAMES[*]}): empty $(mib "$HEAP_BASE"); loaded $(mib "$HEAP_LOADED"); end of soak $(mib "$HEAP_END")"
  echo "heap per instance (bytes, (loaded - empty) / instances): $PER_LOADED; at the end of the soak: $PER_END"
  echo "GC pauses over the whole run (-Xlog:gc; the forced full GCs included):"
  gc_summary
  echo "server CPU by thread group during the soak, all nodes, % of one core (from /proc/<pid>/task/*/stat):"
  thread_report "$OUT/threads0.txt" "$OUT/threads1.txt" "$(awk -v a="$TT0" -v b="$TT1" 'BEGIN { print b - a }')" | head -n 12 | sed 's/^/  /'
  echo "what each instance costs on the leader ($LEADER_NAME), by class: live bytes loaded minus empty, per instance"
  echo "(from $OUT/histogram-{empty,loaded}-$LEADER_NAME.txt):"
  awk -v n="$INSTANCES" '$1 ~ /^[0-9]+:$/ { if (FNR == NR) { before[$4] = $3 } else { d = $3 - before[$4]; if (d > 0) print d, $4 } }' \
      "$OUT/histogram-empty-$LEADER_NAME.txt" "$OUT/histogram-loaded-$LEADER_NAME.txt" 2>/dev/null \
    | sort -rn | awk -v n="$INSTANCES" 'NR <= 12 { printf "  %7.1f B  %s\n", $1 / n, $2 }'
  echo
  echo "samples (every ${SAMPLE}s; heap from jvm_memory_used_bytes, not after a GC): $SAMPLES"
  column -t -s $'\t' "$SAMPLES" | awk 'NR == 1 || /\tsoak\t|soak / { print }' | awk 'NR <= 4 || NR % 6 == 0 { print } END { print }' | cut -c1-220
  echo
  echo "targets:"
  echo "  zero false expiries: $( [[ -n $MIN_INST && $MIN_INST -eq $INSTANCES && $MAX_EXP -eq 0 ]] && all_equal "$FINAL_EXP" 0 && echo MET || { [[ $GAP_OK == 1 ]] && echo "NOT MET (the client kept every instance within its TTL: these are false expiries)" || echo "NOT MET (but the client fell behind: longest gap >= TTL)"; } )"
  echo "  heap per registered instance < $TARGET_HEAP_PER_INSTANCE B: $( [[ -n $MAX_PER && $MAX_PER != NA && $MAX_PER -lt $TARGET_HEAP_PER_INSTANCE ]] && echo "MET (at most $MAX_PER B)" || echo "NOT MET (${MAX_PER:-NA} B)")"
  echo "  heartbeat errors: $(RF non2xx) non-2xx, $SOCK socket errors"
  if [[ ${#FAILS[@]} -gt 0 ]]; then
    echo
    echo "FAILED:"; printf '  %s\n' "${FAILS[@]}"
  else
    echo
    echo "PASSED"
  fi
} | tee "$OUT/summary.txt"
[[ ${#FAILS[@]} -eq 0 ]]
