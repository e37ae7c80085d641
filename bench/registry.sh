#!/usr/bin/env bash
# Service-registry benchmark: Roster's registry API against etcd's closest equivalents, on 3-node
# loopback clusters of each, one system running at a time, same client (wrk + bench/registry.lua).
# See docs/benchmarks.md, "Service registry", for what each row measures and the results.
#
#   bench/registry.sh                  # full run: 1/16/64/256 clients, 10 s a row (about 12 minutes)
#   BENCH_QUICK=1 bench/registry.sh    # smoke test: 3 s a row, 1 and 64 clients
#
# Operations (rows), Roster vs etcd:
#   heartbeat            PUT .../instances/{id}/heartbeat     vs  POST /v3/lease/keepalive {"ID"}   (pre-registered pool)
#   lookup               GET .../instances (10 instances)      vs  POST /v3/kv/range prefix over 10 keys
#   lookup-serializable  the same with ?consistency=serializable vs "serializable": true
#   register             PUT .../instances/{new id}            vs  POST /v3/kv/put with a pre-granted lease
#   register-full        (etcd only) /v3/lease/grant + /v3/kv/put per registration; its ratio is
#                        against Roster's register row (Roster grants and writes in one log entry)
#
# Settings (environment):
#   ROSTER_JAR            server jar (default: <repo>/target/roster.jar, built with ./mvnw if missing)
#   BENCH_DURATION        seconds per measured row (default 10; 3 with BENCH_QUICK=1)
#   BENCH_JVM_WARMUP      unrecorded seconds of load at 64 clients, split over the operations, after the
#                         preload and before any row (default 45; 6 quick). Done identically for etcd.
#   BENCH_WARMUP          unrecorded seconds at 64 clients before the first row of each operation (default 5; 2 quick)
#   BENCH_CLIENTS         connections per row (default "1 16 64 256"; "1 64" quick); spread over the 3 nodes
#                         as bench/run.sh does (one wrk thread per node; fewer clients than nodes: the leader)
#   BENCH_OPS             operations (default "heartbeat lookup lookup-serializable register register-full")
#   BENCH_SYSTEMS         systems (default "roster etcd")
#   BENCH_PEER_TLS=1      Roster members talk mutual TLS (certificates made by scripts/peer-certs.sh)
#   BENCH_AUTH=1          Roster requires a client token, which every request sends (BENCH_SYSTEMS=roster)
#   BENCH_NODES           cluster size (default 3)
#   BENCH_POOL            instances (Roster) / leases (etcd) in the heartbeat pool (default 10000)
#   BENCH_TTL             TTL of every instance and lease, seconds (default 300: long enough that none
#                         expires during the run, and not over Roster's 5 min lease checkpoint interval)
#   BENCH_ROSTER_JVM_OPTS JVM flags per Roster node (default "-Xms1g -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError")
#   BENCH_PROFILE=0       skip the profiling run: after Roster's last row, one more unrecorded heartbeat run
#                         at 64 clients with async-profiler (CPU, 1 ms; fetched once from Maven Central into
#                         ~/.cache/roster-bench) on every node and three thread dumps of the leader,
#                         summarised (threads, top frames, what a heartbeat passes through) into
#                         profile-heartbeat.txt, with each node's collapsed stacks beside it. It is not a
#                         result: the profiler costs a little. On by default.
#   BENCH_TMPDIR          where the temporary data dirs go (default /tmp; must be a real disk, not tmpfs)
#   BENCH_OUT             results dir (default bench/results/registry-<timestamp>); kept after the run
#   BENCH_NICE=-10        run servers and wrk at this niceness (negative needs root); off by default
#   BENCH_QUIET_WAIT=S    on a shared machine, wait up to S seconds before starting each system for other
#                         processes to use under 30% of one core (default 0: do not wait)
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
LUA="$BENCH_DIR/registry.lua"

if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
  DURATION=${BENCH_DURATION:-3}; WARMUP=${BENCH_WARMUP:-2}; CLIENTS=${BENCH_CLIENTS:-"1 64"}
  JVM_WARMUP=${BENCH_JVM_WARMUP:-6}
else
  DURATION=${BENCH_DURATION:-10}; WARMUP=${BENCH_WARMUP:-5}; CLIENTS=${BENCH_CLIENTS:-"1 16 64 256"}
  JVM_WARMUP=${BENCH_JVM_WARMUP:-45}
fi
OPS=${BENCH_OPS:-"heartbeat lookup lookup-serializable register register-full"}
SYSTEMS=${BENCH_SYSTEMS:-"roster etcd"}
NODES=${BENCH_NODES:-3}
POOL=${BENCH_POOL:-10000}
TTL=${BENCH_TTL:-300}
JVM_OPTS=${BENCH_ROSTER_JVM_OPTS:-"-Xms1g -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError"}
PROFILE=${BENCH_PROFILE:-1}
WARMUP_CONNS=64
PRELOAD_CONNS=63
PAUSE=1
TARGET_HEARTBEATS=30000
OUT=${BENCH_OUT:-"$BENCH_DIR/results/registry-$(date +%Y%m%d-%H%M%S)"}
NICE=(env)
[[ -n "${BENCH_NICE:-}" ]] && NICE=(nice -n "$BENCH_NICE")
RUN_SEQ=0

install_traps

# ------------------------------------------------------------------------------------------- runs
run_wrk() {   # run_wrk SYSTEM OP CLIENTS SECONDS OUTFILE
  local system=$1 op=$2 c=$3 secs=$4 out=$5
  plan "$c"
  RUN_SEQ=$((RUN_SEQ + 1))
  BENCH_SYSTEM=$system BENCH_OP=$op BENCH_TARGETS=$P_TARGETS BENCH_POOL=$POOL BENCH_TTL=$TTL \
    BENCH_RUN="r$RUN_SEQ-$$" BENCH_THREADS=$P_THREADS timeout --foreground -s INT $((secs + 60)) \
    "${NICE[@]}" wrk -t"$P_THREADS" -c"$P_CONNS" -d"${secs}s" --timeout 10s -s "$LUA" "http://${P_TARGETS%%,*}/" \
    >"$out" 2>&1 || true
}

node_cpu() {   # node_cpu T0_TICKS_LIST T1_TICKS_LIST SECONDS -> "n1*:85 n2:40 n3:41" (* = leader), % of one core
  local i out="" a b
  read -r -a a <<<"$1"; read -r -a b <<<"$2"
  for i in "${!NODE_PIDS[@]}"; do
    local mark=""; [[ ${CLIENT_PORTS[$i]} == "$LEADER_PORT" ]] && mark="*"
    out+="${out:+ }${NODE_NAMES[$i]}$mark:$(awk -v x="${a[$i]}" -v y="${b[$i]}" -v s="$3" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", 100 * (y - x) / hz / s }')"
  done
  echo "$out"
}
per_node_ticks() { local p; for p in "${NODE_PIDS[@]}"; do printf '%s ' "$(proc_ticks "$p")"; done; }

RESULTS=""
measure() {   # measure SYSTEM OP CLIENTS
  local system=$1 op=$2 c=$3
  local out="$OUT/raw/$system-$op-c$c.txt"
  local m0 m1 s0 s1 t0 t1 n0 n1 wrk_cpu
  plan "$c"
  thread_ticks "${NODE_PIDS[@]}" >"$out.threads0"
  m0=$(machine_ticks); s0=$(proc_ticks "${NODE_PIDS[@]}"); n0=$(per_node_ticks); t0=$(date +%s.%N)
  local TIMEFORMAT='%U %S'
  wrk_cpu=$( { time run_wrk "$system" "$op" "$c" "$DURATION" "$out"; } 2>&1 )
  m1=$(machine_ticks); s1=$(proc_ticks "${NODE_PIDS[@]}"); n1=$(per_node_ticks); t1=$(date +%s.%N)
  thread_ticks "${NODE_PIDS[@]}" >"$out.threads1"
  local el; el=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  thread_report "$out.threads0" "$out.threads1" "$el" >"${out%.txt}.threads.txt"
  rm -f "$out.threads0" "$out.threads1"
  local nodecpu; nodecpu=$(node_cpu "$n0" "$n1" "$el")
  local req good dur non miss errs p50 p99 rps
  req=$(result_field requests "$out")
  if [[ -z "$req" ]]; then
    log "  wrk produced no result for $system $op c=$c: $(tail -n 3 "$out" | tr '\n' ' ')"
    RESULTS+="$system	$op	$c	$P_CONNS	NA	NA	NA	NA	NA	NA	NA	NA	NA	NA	NA	NA	$nodecpu"$'\n'
    return
  fi
  good=$(result_field ok "$out"); dur=$(result_field duration_us "$out")
  non=$(result_field non2xx "$out"); miss=$(result_field misses "$out")
  errs=$(( $(result_field err_connect "$out") + $(result_field err_read "$out") + $(result_field err_write "$out") + $(result_field err_timeout "$out") ))
  p50=$(result_field p50_us "$out"); p99=$(result_field p99_us "$out")
  rps=$(awk -v g="$good" -v d="$dur" 'BEGIN { printf "%.0f", g / (d / 1e6) }')
  local cpu
  cpu=$(awk -v m0="$m0" -v m1="$m1" -v s0="$s0" -v s1="$s1" -v w="$wrk_cpu" -v el="$el" -v hz="$CLK_TCK" '
    BEGIN { split(m0, a, " "); split(m1, b, " "); split(w, ww, " ");
            busy = (b[1] - a[1]) / hz; srv = (s1 - s0) / hz; wk = ww[1] + ww[2];
            other = busy - srv - wk; if (other < 0) other = 0;
            printf "%.0f\t%.0f\t%.0f", 100 * srv / el, 100 * wk / el, 100 * other / el }')
  RESULTS+="$system	$op	$c	$P_CONNS	$rps	$p50	$p99	$non	$miss	$errs	$cpu	$(result_field codes "$out")	$req	$good	$(awk -v d="$dur" 'BEGIN { printf "%.2f", d / 1e6 }')	$nodecpu"$'\n'
  local flag=""
  [[ $((non + miss + errs)) -gt 0 ]] && flag="  ERRORS: non2xx=$non misses=$miss socket=$errs $(result_field codes "$out")"
  log "  $system $op c=$c (conns $P_CONNS): $rps/s p50 $(us_ms "$p50") ms p99 $(us_ms "$p99") ms; CPU% srv/wrk/other $(tr '\t' '/' <<<"$cpu"); per node $nodecpu$flag"
}

# ------------------------------------------------------------------------------------- preloading
pool_count() {   # instances in Roster's heartbeat pool / leases granted in etcd
  local port=$LEADER_PORT
  if [[ $1 == roster ]]; then
    metric_value "$port" '^roster_registry_instances'
  else
    curl -s -X POST -d '{}' "http://127.0.0.1:$port/v3/lease/leases" | grep -o '"ID"' | wc -l
  fi
}
preload_pool() {   # Roster: register hb-0..hb-(POOL-1); etcd: grant leases LEASE_BASE+0..POOL-1
  local system=$1 out="$OUT/raw/$system-preload.txt"
  plan "$PRELOAD_CONNS"
  BENCH_SYSTEM=$system BENCH_OP=preload BENCH_TARGETS=$P_TARGETS BENCH_POOL=$POOL BENCH_TTL=$TTL \
    BENCH_THREADS=$P_THREADS wrk -t"$P_THREADS" -c"$P_CONNS" -d300s --timeout 10s -s "$LUA" \
    "http://${P_TARGETS%%,*}/" >"$out" 2>&1 &
  local wpid=$! count=0 end=$((SECONDS + 300))
  PIDS+=("$wpid")
  while kill -0 "$wpid" 2>/dev/null && [[ $SECONDS -lt $end ]]; do
    sleep 0.5
    count=$(pool_count "$system"); [[ $count =~ ^[0-9]+$ ]] || count=0
    [[ $count -ge $POOL ]] && break
  done
  kill -INT "$wpid" 2>/dev/null || true
  wait "$wpid" 2>/dev/null || true
  forget_pid "$wpid"
  count=$(pool_count "$system")
  [[ "${count:-0}" -ge $POOL ]] || die "$system preload: expected $POOL, found ${count:-none} (see $out)"
  log "  heartbeat pool ready: $count $( [[ $system == roster ]] && echo instances || echo leases ) (TTL ${TTL}s)"
}
preload_lookup() {   # 10 instances of lookup-svc (Roster) / 10 keys under registry/lookup-svc/ (etcd)
  local system=$1 i port=$LEADER_PORT body='{"host":"10.0.0.1","port":8080,"ttlSeconds":'"$TTL"'}' code
  for i in $(seq 0 9); do
    if [[ $system == roster ]]; then
      code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' -d "$body" \
        "http://127.0.0.1:$port/v1/services/lookup-svc/instances/lookup-$i")
    else
      # The value is what Roster stores for an instance, as the JSON a lookup shows (about 200 bytes).
      # Its lease comes from the heartbeat pool when that was preloaded; else it is granted here (a
      # second grant of the same ID is refused, and ignored).
      curl -s -o /dev/null -X POST -d '{"TTL":'"$TTL"',"ID":'"$((1000000 + i))"'}' "http://127.0.0.1:$port/v3/lease/grant"
      local v='{"service":"lookup-svc","instanceId":"lookup-'$i'","host":"10.0.0.1","port":8080,"secure":false,"weight":100,"status":"UP","metadata":{},"leaseId":"'$((1000000 + i))'","ttlSeconds":'$TTL'}'
      code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -d "{\"key\":\"$(printf 'registry/lookup-svc/lookup-%s' "$i" | base64 -w0)\",\"value\":\"$(printf '%s' "$v" | base64 -w0)\",\"lease\":\"$((1000000 + i))\"}" \
        "http://127.0.0.1:$port/v3/kv/put")
    fi
    [[ $code == 2* ]] || die "$system: could not write lookup instance $i (HTTP $code)"
  done
  local n
  if [[ $system == roster ]]; then
    n=$(curl -s "http://127.0.0.1:$port/v1/services/lookup-svc/instances" | grep -o '"instanceId"' | wc -l)
  else
    n=$(curl -s -X POST -d "{\"key\":\"$(printf 'registry/lookup-svc/' | base64 -w0)\",\"range_end\":\"$(printf 'registry/lookup-svc0' | base64 -w0)\",\"count_only\":true}" \
      "http://127.0.0.1:$port/v3/kv/range" | json_field count)
  fi
  [[ $n == 10 ]] || die "$system: lookup-svc has ${n:-no} instances, expected 10"
}

# -------------------------------------------------------------------------------------- profiling
# What a heartbeat's stacks pass through, for profile-heartbeat.txt (see bench/collapsed-summary.awk).
HEARTBEAT_PARTS="HTTP event loops (Reactor Netty)=^\\[webflux-http-[a-z_]+-[0-9]+\
@@reading and parsing requests=HttpObjectDecoder\\.decode@@web filters and heartbeat endpoint=DefaultWebFilterChain\\.invokeFilter\
@@Micrometer observation of requests=SimpleObservation\\.(start|stop)@@heartbeat endpoint=HeartbeatEndpoint\
@@renewing (store lookup, lease, forwarding)=RegistryService\\.heartbeat|LeaseService\\.keepAliveOnLeader|CoalescedLeaderCalls\
@@writing answers to sockets=SocketDispatcher\\.write0|FileDispatcherImpl\\.writev?0|Native\\.writev?|SubmissionQueue\\.submit@@peer RPC (bolt)=com/alipay/remoting\
@@parking and waking threads=LockSupport\\.(park|unpark)"

profile_heartbeat() {   # an unrecorded 64-client heartbeat run with async-profiler on every node, summarised
  local f="$OUT/profile-heartbeat.txt" i secs=$DURATION out="$OUT/raw/roster-heartbeat-profile.txt"
  log "  profiling: heartbeat c=64 for ${secs}s with async-profiler on every node (not a recorded row)"
  for i in "${!NODE_PIDS[@]}"; do
    async_profiler "$AP_LIB" "${NODE_PIDS[$i]}" "start,event=cpu,interval=1ms,threads" \
      || log "  async-profiler did not start on ${NODE_NAMES[$i]}"
  done
  local n0 n1 m0 m1 t0 t1 wrk_cpu
  thread_ticks "${NODE_PIDS[@]}" >"$out.threads0"
  m0=$(machine_ticks); n0=$(per_node_ticks); t0=$(date +%s.%N)
  # Three thread dumps of the leader in the middle of the run, to see what its threads wait on.
  ( sleep $(( secs / 2 )); for _ in 1 2 3; do jcmd "$(leader_pid)" Thread.print 2>/dev/null; sleep 0.5; done ) >"$OUT/heartbeat-leader-threads.txt" 2>&1 &
  local dpid=$!; PIDS+=("$dpid")
  local TIMEFORMAT='%U %S'
  wrk_cpu=$( { time run_wrk roster heartbeat 64 "$secs" "$out"; } 2>&1 )
  m1=$(machine_ticks); n1=$(per_node_ticks); t1=$(date +%s.%N)
  thread_ticks "${NODE_PIDS[@]}" >"$out.threads1"
  wait "$dpid" 2>/dev/null || true; forget_pid "$dpid"
  for i in "${!NODE_PIDS[@]}"; do
    async_profiler "$AP_LIB" "${NODE_PIDS[$i]}" "stop,collapsed,file=$OUT/heartbeat-${NODE_NAMES[$i]}.collapsed" \
      || log "  async-profiler did not stop on ${NODE_NAMES[$i]}"
  done
  local el; el=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  {
    echo "Profile of Roster serving heartbeats, 64 clients, ${secs} s, async-profiler event=cpu interval=1ms (kernel frames end in _[k])"
    echo "result: $(awk -v g="$(result_field ok "$out")" -v d="$(result_field duration_us "$out")" 'BEGIN { if (d > 0) printf "%.0f", g / (d / 1e6); else print "NA" }') heartbeats/s, p50 $(us_ms "$(result_field p50_us "$out")") ms, p99 $(us_ms "$(result_field p99_us "$out")") ms"
    echo "CPU, % of one core (the machine has $(nproc) cores = $(( $(nproc) * 100 ))%):"
    echo "  per node (* = leader): $(node_cpu "$n0" "$n1" "$el")"
    awk -v m0="$m0" -v m1="$m1" -v w="$wrk_cpu" -v el="$el" -v hz="$CLK_TCK" -v n0="$n0" -v n1="$n1" 'BEGIN {
      split(m0, a, " "); split(m1, b, " "); split(w, ww, " "); k = split(n0, x, " "); split(n1, y, " ");
      srv = 0; for (i = 1; i <= k; i++) srv += (y[i] - x[i]) / hz
      busy = (b[1] - a[1]) / hz; wk = ww[1] + ww[2]; other = busy - srv - wk; if (other < 0) other = 0
      printf "  servers %.0f%%, wrk %.0f%%, everything else on the machine %.0f%%, idle %.0f%%\n", 100 * srv / el, 100 * wk / el, 100 * other / el, 100 * ((b[2] - a[2]) - (b[1] - a[1])) / hz / el }'
    echo "  by thread group, all nodes (from /proc/<pid>/task/*/stat):"
    thread_report "$out.threads0" "$out.threads1" "$el" | head -n 15 | sed 's/^/  /'
    for i in "${!NODE_PIDS[@]}"; do
      local mark=""; [[ ${CLIENT_PORTS[$i]} == "$LEADER_PORT" ]] && mark=" (leader)"
      echo
      echo "${NODE_NAMES[$i]}$mark: $OUT/heartbeat-${NODE_NAMES[$i]}.collapsed (collapsed stacks; any flame graph tool reads them)"
      [[ -f "$OUT/heartbeat-${NODE_NAMES[$i]}.collapsed" ]] \
        && PARTS=$HEARTBEAT_PARTS awk -f "$BENCH_DIR/collapsed-summary.awk" "$OUT/heartbeat-${NODE_NAMES[$i]}.collapsed"
    done
    echo
    echo "Leader thread dumps ($OUT/heartbeat-leader-threads.txt), threads by state over 3 dumps:"
    awk '/^"/ { name = $0; sub(/^"/, "", name); sub(/".*/, "", name); gsub(/[0-9]+/, "#", name) }
         /java.lang.Thread.State:/ { st[name " " $2]++ }
         END { for (k in st) printf "%6d  %s\n", st[k], k }' "$OUT/heartbeat-leader-threads.txt" | sort -rn | head -n 15
  } >"$f" 2>&1
  rm -f "$out.threads0" "$out.threads1"
}
leader_pid() { local i; for i in "${!NODE_PIDS[@]}"; do [[ ${CLIENT_PORTS[$i]} == "$LEADER_PORT" ]] && echo "${NODE_PIDS[$i]}"; done; }

# ------------------------------------------------------------------------------------------- main
bench_system() {   # bench_system SYSTEM
  local system=$1 op c ops=""
  for op in $OPS; do
    [[ $system == roster && $op == register-full ]] && continue
    ops+="${ops:+ }$op"
  done
  wait_quiet "${BENCH_QUIET_WAIT:-0}"
  start_with_retries "$system" "$NODES"
  log "  ready: client ports ${CLIENT_PORTS[*]}, leader on $LEADER_PORT"
  if [[ " $ops " == *" heartbeat "* || " $ops " == *" register "* || " $ops " == *" register-full "* ]]; then
    preload_pool "$system"
  fi
  preload_lookup "$system"
  if [[ $JVM_WARMUP -gt 0 ]]; then
    local nops; nops=$(wc -w <<<"$ops")
    log "  warming up: ${JVM_WARMUP}s of load, unrecorded"
    for op in $ops; do
      run_wrk "$system" "$op" "$WARMUP_CONNS" $(( (JVM_WARMUP + nops - 1) / nops )) "$OUT/raw/$system-$op-jvmwarmup.txt"
    done
  fi
  for op in $ops; do
    if [[ $WARMUP -gt 0 ]]; then
      run_wrk "$system" "$op" "$WARMUP_CONNS" "$WARMUP" "$OUT/raw/$system-$op-warmup.txt"
      sleep "$PAUSE"
    fi
    for c in $CLIENTS; do
      measure "$system" "$op" "$c"
      sleep "$PAUSE"
    done
  done
  if [[ $system == roster ]]; then
    local port exp=""
    for port in "${CLIENT_PORTS[@]}"; do exp+="${exp:+ }$(metric_value "$port" '^roster_lease_expired_total')"; done
    ROSTER_EXPIRED=$exp
    log "  roster_lease_expired_total per node: $exp (expected 0: every TTL is ${TTL}s)"
    # Last, because profiling slows the nodes down a little and nothing after it should pay for that.
    [[ $PROFILE == 1 && " $ops " == *" heartbeat "* ]] && profile_heartbeat
  fi
  log "stopping $system"
  stop_cluster
}

report() {
  local r="$OUT/results.tsv"
  {
    echo "# system	op	clients	conns	per_s	p50_us	p99_us	non2xx	misses	socket_errors	srv_cpu_pct	wrk_cpu_pct	other_cpu_pct	codes	requests	ok	seconds	node_cpu_pct"
    printf '%s' "$RESULTS"
  } >"$r"
  awk -f "$BENCH_DIR/registry-report.awk" -v target="$TARGET_HEARTBEATS" "$r"
}

install_deps etcd
resolve_jar
etcd_env
if [[ $PROFILE == 1 && " $SYSTEMS " == *" roster "* && " $OPS " == *" heartbeat "* ]]; then
  AP_LIB=$(async_profiler_lib) || { log "no profiling run: async-profiler is not available"; PROFILE=0; }
fi
mkdir -p "$OUT/raw"
WORK=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/roster-regbench.XXXXXX")
FSTYPE=$(df -PT "$WORK" | awk 'NR == 2 { print $2 }')
[[ $FSTYPE == tmpfs ]] && log "WARNING: $WORK is on tmpfs: fsync costs nothing there; set BENCH_TMPDIR to a real disk"
log "results in $OUT"
roster_security_setup
wait_quiet "${BENCH_QUIET_WAIT:-0}"
BUSY_BEFORE=$(busy_now)
[[ $BUSY_BEFORE -gt 20 ]] && log "WARNING: the machine is already busy (${BUSY_BEFORE}% of one core used by other processes); figures will be noisy"

for system in $SYSTEMS; do
  bench_system "$system"
done

{
  echo "Service registry: Roster vs etcd, $NODES-node clusters on loopback, $(date -u +%Y-%m-%dT%H:%MZ)"
  machine_info
  echo "data dirs on: $FSTYPE ($(df -P "$WORK" | awk 'NR == 2 { print $1 }')); other load before the run: ${BUSY_BEFORE}% of one core"
  echo "Roster: ${ROSTER_VERSION:-?}, jar $JAR ($JAR_ORIGIN)"
  echo "Java: $(java -version 2>&1 | head -n1); JVM flags: $JVM_OPTS"
  [[ -n "${BENCH_NICE:-}" ]] && echo "servers and wrk ran at niceness $BENCH_NICE"
  echo "etcd: $(etcd --version | head -n1 | sed 's/etcd Version: //') ($(etcd --version | sed -n 's/Go Version: //p'))"
  echo "wrk: $(wrk -v 2>&1 | head -n1 | awk '{ print $2 }'); $DURATION s per row; unrecorded warm-up: ${JVM_WARMUP} s + ${WARMUP} s per operation at 64 clients"
  echo "heartbeat pool: $POOL instances / leases; lookups: 10 instances / keys; TTL of everything ${TTL} s"
  echo "per s = successful operations per second (register-full: completed grant+put pairs); err = non-2xx + misses + socket errors"
  echo "CPU = the servers' CPU, oth = CPU used by everything but the servers and wrk, % of one core (max $(( $(nproc) * 100 )))"
  [[ -n "${ROSTER_EXPIRED:-}" ]] && echo "roster_lease_expired_total at the end, per node: $ROSTER_EXPIRED"
  echo
  report
  if [[ -f "$OUT/profile-heartbeat.txt" ]]; then echo; cat "$OUT/profile-heartbeat.txt"; fi
} | tee "$OUT/summary.txt"
log "raw wrk output, results.tsv and summary.txt in $OUT"
