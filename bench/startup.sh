#!/usr/bin/env bash
# How fast Roster starts and warms up (issue 15 items 5 and 6), per JDK and with or without the JVM's
# start-up cache (scripts/train-cache.sh: AppCDS on JDK 17, the AOT cache with method profiles on JDK 25).
# Every server is started by bin/roster, as the image's entrypoint starts it.
#
#   bench/startup.sh                                    # JDK 17 and 25, without and with the cache
#   BENCH_JDKS=17 BENCH_CACHES=cache bench/startup.sh   # one combination
#   BENCH_PARTS="single recovery" bench/startup.sh      # leave out the 3-minute warm-up part
#
# It prints, for each JDK and cache setting:
#   single    single-node time to ready (launch of the process to GET /actuator/health/readiness = 200),
#             the median of BENCH_STARTS starts, each a fresh JVM: on an empty data dir, and restarted on a
#             data dir holding BENCH_KEYS keys (a copy of the same one each time); polled every 50 ms.
#             Also the CPU time (user + system, all threads, from /proc) the JVM used until it was ready:
#             other load on the machine stretches the wall-clock time much more than that.
#   recovery  a 3-member cluster: kill -9 of a follower, restarted at once on its data dir; time from
#             the launch to ready (readiness latches "has a leader and caught up", ADR 0004), median of
#             BENCH_RECOVERIES, with no load and with light load (wrk, 2 connections writing keys on the
#             leader, bench/kv.lua); the leader's commit index against the member's applied index is
#             printed at that moment as a check. The cluster runs idle for BENCH_SETTLE seconds first.
#   warmup    the same cluster under constant load on the restarted member only: key writes (wrk, 8
#             connections, kv.lua put) and heartbeats (8 connections, bench/registry.lua heartbeat over a
#             pool of 1,000 instances), run side by side as consecutive 5-second wrk runs. The steady rate
#             is the median of the last 6 windows of BENCH_WARM_STEADY seconds of load (after
#             BENCH_WARM_BEFORE seconds unrecorded) before the kill -9; after the restart, every window from
#             ready for BENCH_WARM_AFTER seconds, and the first whose rate reaches 80% of the steady one.
# Settings: BENCH_JDKS ("17 25"), JDK17_HOME, JDK25_HOME (default: the java on the PATH for 17,
# /usr/lib/jvm/temurin-25-jdk-amd64 for 25), BENCH_CACHES ("none cache"), BENCH_PARTS ("single recovery
# warmup"), BENCH_STARTS (7), BENCH_RECOVERIES (5), BENCH_KEYS (5000), BENCH_SETTLE (10),
# BENCH_WARM_BEFORE (60), BENCH_WARM_STEADY (45), BENCH_WARM_AFTER (60), BENCH_RETRAIN=1 (train the cache
# again even when one for this jar and JDK exists), ROSTER_JAR, BENCH_ROSTER_JVM_OPTS (default -Xmx1g),
# BENCH_QUIET (seconds to wait for other load on the machine to settle before each part, default 0),
# BENCH_OUT (default bench/results/startup-<timestamp>).
# Times are wall-clock, so other load on the machine lengthens them: the summary records `uptime` at the
# start of each part.
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
JDKS=${BENCH_JDKS:-"17 25"}
CACHES=${BENCH_CACHES:-"none cache"}
PARTS=${BENCH_PARTS:-"single recovery warmup"}
STARTS=${BENCH_STARTS:-7}
RECOVERIES=${BENCH_RECOVERIES:-5}
NKEYS=${BENCH_KEYS:-5000}
SETTLE=${BENCH_SETTLE:-10}
WARM_BEFORE=${BENCH_WARM_BEFORE:-60}
WARM_STEADY=${BENCH_WARM_STEADY:-45}
WARM_AFTER=${BENCH_WARM_AFTER:-60}
WINDOW=5
OUT=${BENCH_OUT:-"$BENCH_DIR/results/startup-$(date +%Y%m%d-%H%M%S)"}
JVM_OPTS=${BENCH_ROSTER_JVM_OPTS:-"-Xmx1g"}
ROSTER_LAUNCHER="$REPO_DIR/bin/roster"
mkdir -p "$OUT/raw"
WORK=$(mktemp -d)
install_traps
install_deps
resolve_jar
log "jar: $JAR ($JAR_ORIGIN)"

java_home_of() {   # java_home_of 17|25
  case $1 in
    17) if [[ -n "${JDK17_HOME:-}" ]]; then echo "$JDK17_HOME"; else dirname "$(dirname "$(readlink -f "$(command -v java)")")"; fi ;;
    25) echo "${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}" ;;
    *) die "unknown JDK $1 (17 or 25; set JDK17_HOME / JDK25_HOME)" ;;
  esac
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "NA"; else if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
spread() { sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%s..%s", v[1], v[NR] }'; }
http_code() { curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$1" || true; }

# launch NAME DATA_DIR CLIENT_PORT CLUSTER : one member through bin/roster, with $JHOME and $CACHE_MODE
launch() {
  local name=$1 dir=$2 port=$3 cluster=$4 cache_flag=1
  [[ $CACHE_MODE == none ]] && cache_flag=0
  # RocksDB unpacks its native library (13.6 MB) there, not in /tmp, where every kill -9 would leave one.
  mkdir -p "$dir" "$WORK/native/$name"
  env ROSTER_JAR="$JAR" JAVA_HOME="$JHOME" JAVA_OPTS="$JVM_OPTS -Dlogging.path=$WORK/bolt-logs" ROSTER_JVM_CACHE=$cache_flag \
    ROCKSDB_SHAREDLIB_DIR="$WORK/native/$name" \
    ROSTER_NAME="$name" ROSTER_DATA_DIR="$dir" ROSTER_INITIAL_CLUSTER="$cluster" ROSTER_INITIAL_CLUSTER_STATE=new \
    SERVER_PORT="$port" "${NICE[@]}" "$ROSTER_LAUNCHER" >>"$WORK/$name.log" 2>&1 &
  LAUNCHED=$!
  PIDS+=("$LAUNCHED")
}
# "WALL CPU": ms from $1 (now_ms at launch) until readiness on port $2 answers 200, and the CPU time (user +
# system, all threads) the JVM $3 used until then, in ms; "NA NA" after 120 s or if the JVM exits
time_to_ready() {
  local t0=$1 port=$2 pid=$3 wall
  while :; do
    if [[ $(http_code "http://127.0.0.1:$port/actuator/health/readiness") == 200 ]]; then
      wall=$(( $(now_ms) - t0 ))
      echo "$wall $(( $(proc_ticks "$pid") * 1000 / CLK_TCK ))"
      return
    fi
    kill -0 "$pid" 2>/dev/null || { echo NA NA; return; }
    [[ $(( $(now_ms) - t0 )) -lt 120000 ]] || { echo NA NA; return; }
    sleep 0.05
  done
}
kill_member() {   # kill_member PID [SIGNAL]
  kill "-${2:-KILL}" "$1" 2>/dev/null || true
  if [[ ${2:-KILL} == KILL ]]; then wait "$1" 2>/dev/null || true; else stop_pids "$1"; fi
  forget_pid "$1"
}

prepare_cache() {   # the cache for $JHOME, trained once per jar and JDK (target/roster-cache, as bin/roster finds it)
  [[ $CACHE_MODE == cache ]] || return 0
  local dir runtime
  dir="$(dirname "$JAR")/roster-cache"
  runtime=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$JHOME/release" | tr -c 'A-Za-z0-9._+\n-' '_')
  if [[ "${BENCH_RETRAIN:-0}" != 1 && "$(cat "$dir/source.stamp" 2>/dev/null)" == "$(stat -c '%s %Y' "$JAR")" ]] \
      && [[ -f "$dir/roster-$runtime.jsa" || -f "$dir/roster-$runtime.aot" ]]; then
    log "  cache for JDK $runtime present in $dir"
    return 0
  fi
  wait_quiet "${BENCH_QUIET:-0}"
  local t0; t0=$(now_ms)
  JAVA_HOME="$JHOME" "$REPO_DIR/scripts/train-cache.sh" "$JAR" >"$OUT/raw/train-$JDK.log" 2>&1 \
    || { tail -n 30 "$OUT/raw/train-$JDK.log" >&2; die "training failed (see $OUT/raw/train-$JDK.log)"; }
  TRAIN_NOTE="trained in $(( ($(now_ms) - t0) / 1000 )) s: $(tail -n 1 "$OUT/raw/train-$JDK.log" | sed 's/^train-cache: //')"
  log "  $TRAIN_NOTE"
}

# report_line LABEL WALL_ARRAY CPU_ARRAY : medians and ranges of wall-clock and CPU times
report_line() {
  local -n walls=$2 cpus=$3
  printf '    %-26s median %6s ms to ready, %6s ms of CPU  (%d runs: %s ms; CPU %s ms)\n' "$1" \
    "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${cpus[@]}" | median)" "${#walls[@]}" \
    "$(printf '%s\n' "${walls[@]}" | spread)" "$(printf '%s\n' "${cpus[@]}" | spread)"
}

# ------------------------------------------------------------------------------------------- single
part_single() {
  local tag=$1 peer port dir pid t0 i empty=() restart=() empty_cpu=() restart_cpu=() started w c
  wait_quiet "${BENCH_QUIET:-0}"
  echo "  single node (uptime:$(uptime | sed 's/.*load average//'))"
  # The data set for the restarts: NKEYS keys written once, then copied for every start.
  peer=$(free_port); port=$(free_port)
  CLIENT_PORTS=("$port"); NODE_PIDS=()
  for i in $(seq 1 "$STARTS"); do
    dir="$WORK/single-$tag-$i"
    t0=$(now_ms); launch s1 "$dir" "$port" "s1=http://127.0.0.1:$peer"; pid=$LAUNCHED
    read -r w c <<<"$(time_to_ready "$t0" "$port" "$pid")"; empty+=("$w"); empty_cpu+=("$c")
    started=$(grep -o 'Started RosterApplication in [0-9.]* seconds' "$WORK/s1.log" | tail -n1 | awk '{ print $4 }')
    if [[ $i == 1 ]]; then
      BENCH_SYSTEM=roster BENCH_OP=preload BENCH_TARGETS="127.0.0.1:$port" BENCH_KEYS=$NKEYS \
        wrk -t1 -c8 -d300s --timeout 10s -s "$BENCH_DIR/kv.lua" "http://127.0.0.1:$port/" >"$OUT/raw/single-$tag-preload.txt" 2>&1 &
      local wpid=$! end=$((SECONDS + 120)); PIDS+=("$wpid")
      until [[ $(curl -s "http://127.0.0.1:$port/v1/status" | json_field revision) -gt $NKEYS || $SECONDS -ge $end ]]; do sleep 0.5; done
      kill -INT "$wpid" 2>/dev/null || true; wait "$wpid" 2>/dev/null || true; forget_pid "$wpid"
    fi
    kill_member "$pid" TERM
    [[ $i == 1 ]] && cp -a "$dir" "$WORK/single-$tag-data"
    rm -rf "$dir"
    cp -a "$WORK/single-$tag-data" "$dir"
    t0=$(now_ms); launch s1 "$dir" "$port" "s1=http://127.0.0.1:$peer"; pid=$LAUNCHED
    read -r w c <<<"$(time_to_ready "$t0" "$port" "$pid")"; restart+=("$w"); restart_cpu+=("$c")
    kill_member "$pid" TERM
    rm -rf "$dir"
    log "  start $i: empty ${empty[-1]} ms, CPU ${empty_cpu[-1]} ms (Spring: ${started:-?} s); restart with data ${restart[-1]} ms, CPU ${restart_cpu[-1]} ms"
  done
  printf '%s\t%s\t%s\t%s\t%s\n' "$tag" "${empty[*]}" "${restart[*]}" "${empty_cpu[*]}" "${restart_cpu[*]}" >>"$OUT/raw/single.tsv"
  report_line "empty data dir:" empty empty_cpu
  report_line "restart with $NKEYS keys:" restart restart_cpu
  rm -rf "$WORK/single-$tag-data"
  : >"$WORK/s1.log"
}

# ------------------------------------------------------------------------------------------ cluster
# start_cluster TAG : three members through bin/roster; sets MEMBER_PIDS, CLIENT_PORTS, NODE_PIDS, NAMES,
# DIRS, CLUSTER, then LEADER_PORT, FOLLOWER (index of a follower)
start_cluster() {
  local tag=$1 i
  CLUSTER=""; CLIENT_PORTS=(); NODE_PIDS=(); DIRS=()
  for i in 1 2 3; do
    CLIENT_PORTS+=("$(free_port)")
    CLUSTER+="${CLUSTER:+,}n$i=http://127.0.0.1:$(free_port)"
    DIRS+=("$WORK/cluster-$tag/n$i")
  done
  for i in 0 1 2; do
    launch "n$((i + 1))" "${DIRS[$i]}" "${CLIENT_PORTS[$i]}" "$CLUSTER"
    NODE_PIDS+=("$LAUNCHED")
  done
  wait_until 180 "the cluster to be ready" roster_ready || die "the cluster did not start"
  pick_follower
}
pick_follower() {
  local i s
  find_roster_leader
  FOLLOWER=""
  for i in 0 1 2; do
    [[ ${CLIENT_PORTS[$i]} != "$LEADER_PORT" ]] && { FOLLOWER=$i; break; }
  done
}
stop_cluster_members() {
  local p
  stop_pids "${NODE_PIDS[@]}"
  for p in "${NODE_PIDS[@]}"; do forget_pid "$p"; done
  NODE_PIDS=()
}
# restart_follower : kill -9 member $FOLLOWER, launch it again at once; sets RESTART_T0
restart_follower() {
  local i=$FOLLOWER
  kill_member "${NODE_PIDS[$i]}" KILL
  RESTART_T0=$(now_ms)
  launch "n$((i + 1))" "${DIRS[$i]}" "${CLIENT_PORTS[$i]}" "$CLUSTER"
  NODE_PIDS[$i]=$LAUNCHED
}
index_check() {   # "applied A / leader's commit C" for member $FOLLOWER
  local a c
  a=$(curl -s "http://127.0.0.1:${CLIENT_PORTS[$FOLLOWER]}/v1/status?consistency=serializable" | json_field appliedIndex)
  c=$(curl -s "http://127.0.0.1:$LEADER_PORT/v1/status" | json_field commitIndex)
  echo "applied $a / leader commit $c"
}

part_recovery() {
  local tag=$1 load r t c quiet=() loaded=() quiet_cpu=() loaded_cpu=() wpid
  wait_quiet "${BENCH_QUIET:-0}"
  echo "  3-member cluster, a follower killed (-9) and restarted (uptime:$(uptime | sed 's/.*load average//'))"
  start_cluster "$tag"
  # A crash meets a cluster that has been running: let the members' own start-up compilation end first.
  sleep "$SETTLE"
  for load in none light; do
    for r in $(seq 1 "$RECOVERIES"); do
      pick_follower
      wpid=""
      if [[ $load == light ]]; then
        BENCH_SYSTEM=roster BENCH_OP=put BENCH_TARGETS="127.0.0.1:$LEADER_PORT" BENCH_KEYS=1000 \
          wrk -t1 -c2 -d600s --timeout 10s -s "$BENCH_DIR/kv.lua" "http://127.0.0.1:$LEADER_PORT/" >"$OUT/raw/recovery-$tag-$r.txt" 2>&1 &
        wpid=$!; PIDS+=("$wpid")
        sleep 5
      fi
      restart_follower
      read -r t c <<<"$(time_to_ready "$RESTART_T0" "${CLIENT_PORTS[$FOLLOWER]}" "${NODE_PIDS[$FOLLOWER]}")"
      log "  recovery $load $r: n$((FOLLOWER + 1)) ready in $t ms, CPU $c ms ($(index_check))"
      if [[ -n $wpid ]]; then kill -INT "$wpid" 2>/dev/null || true; wait "$wpid" 2>/dev/null || true; forget_pid "$wpid"; fi
      if [[ $load == none ]]; then quiet+=("$t"); quiet_cpu+=("$c"); else loaded+=("$t"); loaded_cpu+=("$c"); fi
      wait_until 60 "the cluster to settle" roster_ready || die "the cluster did not settle"
      sleep 2
    done
  done
  stop_cluster_members
  rm -rf "$WORK/cluster-$tag"
  printf '%s\t%s\t%s\t%s\t%s\n' "$tag" "${quiet[*]}" "${loaded[*]}" "${quiet_cpu[*]}" "${loaded_cpu[*]}" >>"$OUT/raw/recovery.tsv"
  report_line "no load:" quiet quiet_cpu
  report_line "light load:" loaded loaded_cpu
}

# ------------------------------------------------------------------------------------------- warmup
# window_loop KIND PORT FILE SECONDS : consecutive 5 s wrk runs; appends "end_ms rate non2xx" lines to FILE
window_loop() {
  local kind=$1 port=$2 file=$3 secs=$4 end out rate bad
  end=$(( $(now_ms) + secs * 1000 ))
  out="$WORK/window-$kind.txt"
  while [[ $(now_ms) -lt $end ]]; do
    if [[ $kind == write ]]; then
      BENCH_SYSTEM=roster BENCH_OP=put BENCH_TARGETS="127.0.0.1:$port" BENCH_KEYS=10000 \
        wrk -t1 -c8 -d${WINDOW}s --timeout 10s -s "$BENCH_DIR/kv.lua" "http://127.0.0.1:$port/" >"$out" 2>&1 || true
    else
      BENCH_SYSTEM=roster BENCH_OP=heartbeat BENCH_TARGETS="127.0.0.1:$port" BENCH_POOL=1000 BENCH_TTL=600 BENCH_THREADS=1 \
        wrk -t1 -c8 -d${WINDOW}s --timeout 10s -s "$BENCH_DIR/registry.lua" "http://127.0.0.1:$port/" >"$out" 2>&1 || true
    fi
    rate=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
    bad=$(result_field non2xx "$out")
    echo "$(now_ms) ${rate:-0} ${bad:-NA}" >>"$file"
  done
}
preload_heartbeat_pool() {   # 1,000 instances hb-<i> for registry.lua's heartbeat op
  BENCH_SYSTEM=roster BENCH_OP=preload BENCH_TARGETS="127.0.0.1:$LEADER_PORT" BENCH_POOL=1000 BENCH_TTL=600 BENCH_THREADS=1 \
    wrk -t1 -c8 -d300s --timeout 10s -s "$BENCH_DIR/registry.lua" "http://127.0.0.1:$LEADER_PORT/" >"$OUT/raw/warm-preload.txt" 2>&1 &
  local wpid=$! end=$((SECONDS + 120)) count=0; PIDS+=("$wpid")
  while kill -0 "$wpid" 2>/dev/null && [[ $SECONDS -lt $end ]]; do
    sleep 0.5
    count=$(metric_value "$LEADER_PORT" '^roster_registry_instances'); [[ $count =~ ^[0-9]+$ ]] || count=0
    [[ $count -ge 1000 ]] && break
  done
  kill -INT "$wpid" 2>/dev/null || true; wait "$wpid" 2>/dev/null || true; forget_pid "$wpid"
  [[ $count -ge 1000 ]] || die "heartbeat pool: $count of 1000 instances registered"
}
run_windows() {   # run_windows PORT SECONDS PREFIX : write and heartbeat windows side by side
  local p1 p2
  window_loop write "$1" "$3-write.txt" "$2" & p1=$!; PIDS+=("$p1")
  window_loop heartbeat "$1" "$3-heartbeat.txt" "$2" & p2=$!; PIDS+=("$p2")
  wait "$p1" "$p2" || true
  forget_pid "$p1"; forget_pid "$p2"
}
part_warmup() {
  local tag=$1 port prefix kind steady line t_ready
  wait_quiet "${BENCH_QUIET:-0}"
  echo "  warm-up of a restarted member under constant load (uptime:$(uptime | sed 's/.*load average//'))"
  start_cluster "warm-$tag"
  preload_heartbeat_pool
  port=${CLIENT_PORTS[$FOLLOWER]}
  prefix="$OUT/raw/warm-$tag"
  run_windows "$port" "$WARM_BEFORE" "$prefix-before"
  run_windows "$port" "$WARM_STEADY" "$prefix-steady"
  restart_follower
  read -r t_ready _ <<<"$(time_to_ready "$RESTART_T0" "$port" "${NODE_PIDS[$FOLLOWER]}")"
  [[ $t_ready != NA ]] || die "the restarted member did not get ready"
  local ready_ms=$((RESTART_T0 + t_ready))
  run_windows "$port" "$WARM_AFTER" "$prefix-after"
  stop_cluster_members
  rm -rf "$WORK/cluster-warm-$tag"
  echo "    member ready ${t_ready} ms after its launch; rate per ${WINDOW} s window after that (% of steady):"
  for kind in write heartbeat; do
    steady=$(tail -n 6 "$prefix-steady-$kind.txt" | awk '{ print $2 }' | median)
    line=$(awk -v s="$steady" -v r="$ready_ms" -v w="$WINDOW" '
      { t = ($1 - r) / 1000; pct = s > 0 ? 100 * $2 / s : 0
        out = out sprintf(" %d(%d%%)", $2, pct)
        if (first == "" && pct >= 80) first = sprintf("%.0f", t) }
      END { printf "%s|%s", (first == "" ? "not reached in the run" : "reached by " first " s after ready"), out }' "$prefix-after-$kind.txt")
    printf '    %-9s steady %s/s; 80%% of it %s (end of the first window at 80%%);\n             windows:%s\n' \
      "$kind" "$steady" "${line%%|*}" "${line#*|}"
    printf '%s\t%s\t%s\t%s\t%s\n' "$tag" "$kind" "$steady" "${line%%|*}" "${line#*|}" >>"$OUT/raw/warmup.tsv"
  done
}

# ---------------------------------------------------------------------------------------------- main
{
  install_traps   # this block is a subshell: its own cleanup stops the servers it started
  echo "Roster start and warm-up ($(date -u +%Y-%m-%dT%H:%MZ), $(git -C "$BENCH_DIR" rev-parse --short HEAD)): jar $JAR_ORIGIN"
  echo "$(machine_info); JVM options $JVM_OPTS"
  for JDK in $JDKS; do
    JHOME=$(java_home_of "$JDK")
    [[ -x "$JHOME/bin/java" ]] || die "no JDK $JDK at $JHOME"
    for CACHE_MODE in $CACHES; do
      tag="jdk$JDK-$CACHE_MODE"
      TRAIN_NOTE=""
      prepare_cache
      echo
      echo "JDK $JDK ($("$JHOME/bin/java" -version 2>&1 | sed -n 2p)), start-up cache: $CACHE_MODE${TRAIN_NOTE:+ ($TRAIN_NOTE)}"
      for part in $PARTS; do
        "part_$part" "$tag"
      done
    done
  done
} | tee "$OUT/summary.txt"
