# Shell functions shared by bench/run.sh, bench/registry.sh and bench/soak.sh: starting Roster and etcd
# clusters on free loopback ports in temporary data dirs, cleaning up on any exit, and measuring CPU from
# /proc, so that the three benchmarks start clusters, pick ports and count CPU the same way.
#
# A script that sources this file sets, before calling the functions:
#   JAR        the server jar (resolve_jar sets it from ROSTER_JAR or builds <repo>/target/roster.jar)
#   WORK       temporary dir for data dirs and logs (removed by cleanup; its *.log are copied to $OUT/logs)
#   OUT        results dir (kept)
#   JVM_OPTS   JVM flags for each Roster node; "%n" in it is replaced by the node's name (n1, n2, ...)
#   NICE       array: command prefix for servers and wrk, e.g. (env) or (nice -n -10)
# and may define on_cleanup(), called first thing by cleanup (e.g. to stop a sampler).
# shellcheck shell=bash

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$LIB_DIR/.." && pwd)
CLK_TCK=$(getconf CLK_TCK)
NICE=("${NICE[@]:-env}")

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ------------------------------------------------------------------------------------------ cleanup
WORK=${WORK:-}
PIDS=()          # every server and background process the script started
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  declare -F on_cleanup >/dev/null && { on_cleanup || true; }
  stop_pids "${PIDS[@]+"${PIDS[@]}"}"
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    if [[ -n "${OUT:-}" ]]; then
      mkdir -p "$OUT/logs"
      find "$WORK" -maxdepth 1 -name '*.log' -exec cp {} "$OUT/logs/" \; 2>/dev/null || true
    fi
    rm -rf "$WORK"
  fi
  [[ $rc -ne 0 ]] && log "exited with status $rc; logs in ${OUT:-?}/logs"
  exit $rc
}
stop_pids() {
  [[ $# -eq 0 ]] && return 0
  local pid alive
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 100); do                      # up to 20 s for graceful shutdown
    alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && break
    sleep 0.2
  done
  for pid in "$@"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}
install_traps() {
  trap cleanup EXIT
  trap 'log "interrupted"; exit 130' INT
  trap 'log "terminated"; exit 143' TERM
}
forget_pid() {
  local keep=() p
  for p in "${PIDS[@]+"${PIDS[@]}"}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  PIDS=("${keep[@]+"${keep[@]}"}")
}

# ------------------------------------------------------------------------------------- dependencies
install_deps() {   # install_deps [etcd] : wrk, curl (and etcd-server) from Debian if missing
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v curl >/dev/null || missing+=(curl)
  [[ "${1:-}" == etcd ]] && ! command -v etcd >/dev/null && missing+=(etcd-server)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  log "installing ${missing[*]} with apt-get"
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  # Debian's etcd-server enables a system etcd on :2379; stop it again so that it takes neither CPU
  # nor ports from the benchmark.
  if [[ " ${missing[*]} " == *" etcd-server "* ]]; then
    if command -v systemctl >/dev/null && systemctl is-active --quiet etcd 2>/dev/null; then
      $sudo systemctl stop etcd || true
    elif [[ -x /etc/init.d/etcd ]] && /etc/init.d/etcd status >/dev/null 2>&1; then
      $sudo /etc/init.d/etcd stop >/dev/null 2>&1 || true
    fi
  fi
}

# async-profiler, from Maven Central (JFR gets few samples from Roster: docs/benchmarks.md, Other findings).
ASYNC_PROFILER_VERSION=4.6
ASYNC_PROFILER_SHA1=795a1f5566a13b9eec8c06891552904940e3afa0   # async-profiler-4.6-linux-x64.jar
async_profiler_lib() {   # prints the path of libasyncProfiler.so, fetched once into ~/.cache; fails off linux-x64
  [[ $(uname -sm) == "Linux x86_64" ]] || { log "  async-profiler: this script fetches only its linux-x64 build"; return 1; }
  local dir="${XDG_CACHE_HOME:-$HOME/.cache}/roster-bench/async-profiler-$ASYNC_PROFILER_VERSION"
  local lib="$dir/linux-x64/libasyncProfiler.so" jar="async-profiler-$ASYNC_PROFILER_VERSION-linux-x64.jar"
  if [[ ! -f "$lib" ]]; then
    mkdir -p "$dir"
    curl -sfL -o "$dir/$jar" "https://repo.maven.apache.org/maven2/tools/profiler/async-profiler/$ASYNC_PROFILER_VERSION/$jar" \
      || { log "  async-profiler: could not download $jar from Maven Central"; return 1; }
    [[ $(sha1sum "$dir/$jar" | cut -d' ' -f1) == "$ASYNC_PROFILER_SHA1" ]] \
      || { rm -f "$dir/$jar"; log "  async-profiler: $jar does not have the expected SHA-1"; return 1; }
    (cd "$dir" && jar xf "$jar" linux-x64/libasyncProfiler.so) || { log "  async-profiler: could not unpack $jar"; return 1; }
  fi
  echo "$lib"
}
# jcmd parses key=value itself, so the agent's whole argument string goes in double quotes.
async_profiler() {   # async_profiler LIB PID ARGS : e.g. "start,event=cpu,interval=1ms,threads" or "stop,collapsed,file=F"
  jcmd "$2" JVMTI.agent_load "$1" "\"$3\"" 2>&1 | grep -q 'return code: 0'
}

etcd_env() {   # run etcd with none of the caller's ETCD_* settings; allow non-amd64 where needed
  if [[ "$(dpkg --print-architecture 2>/dev/null || uname -m)" != amd64 && "$(uname -m)" != x86_64 ]]; then
    export ETCD_UNSUPPORTED_ARCH="$(dpkg --print-architecture 2>/dev/null || uname -m)"
  fi
  local v
  for v in $(compgen -e | grep '^ETCD_' | grep -v '^ETCD_UNSUPPORTED_ARCH$' || true); do unset "$v"; done
}

resolve_jar() {
  if [[ -n "${ROSTER_JAR:-}" ]]; then
    [[ -f "$ROSTER_JAR" ]] || die "ROSTER_JAR=$ROSTER_JAR does not exist"
    JAR=$(cd "$(dirname "$ROSTER_JAR")" && pwd)/$(basename "$ROSTER_JAR")
    JAR_ORIGIN="given by ROSTER_JAR, built $(date -u -r "$JAR" +%Y-%m-%dT%H:%MZ)"
  else
    JAR="$REPO_DIR/target/roster.jar"
    if [[ ! -f "$JAR" ]]; then
      log "building $JAR (./mvnw -B -q -DskipTests package)"
      (cd "$REPO_DIR" && ./mvnw -B -q -DskipTests package) || die "build failed"
      [[ -f "$JAR" ]] || die "the build did not produce $JAR"
    fi
    JAR_ORIGIN="repo at $(git -C "$REPO_DIR" describe --always --dirty 2>/dev/null || echo '?'), jar built $(date -u -r "$JAR" +%Y-%m-%dT%H:%MZ)"
  fi
}

# ---------------------------------------------------------------------------------------- ports
USED_PORTS=" "
free_port() {
  local p
  while :; do
    # Below Linux's ephemeral range (32768-60999), so that no outgoing connection can take the port
    # between now and the server's bind.
    p=$(( 12000 + (RANDOM * 32768 + RANDOM) % 20000 ))
    [[ "$USED_PORTS" == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      USED_PORTS+="$p "
      echo "$p"
      return
    fi
  done
}

# ------------------------------------------------------------------------------------- clusters
# After start_*: NODE_PIDS (servers), NODE_NAMES, CLIENT_PORTS (one per node), LEADER_PORT (client
# port of the leader).
NODE_PIDS=()
NODE_NAMES=()
CLIENT_PORTS=()
LEADER_PORT=""

wait_until() {   # wait_until SECONDS DESCRIPTION COMMAND... ; fails if a server exits or on timeout
  local limit=$1 what=$2; shift 2
  local end=$((SECONDS + limit))
  until "$@"; do
    for pid in "${NODE_PIDS[@]}"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        log "  a server exited while waiting for $what"
        return 1
      fi
    done
    if [[ $SECONDS -ge $end ]]; then
      local port
      for port in "${CLIENT_PORTS[@]}"; do
        log "  :$port readiness $(curl -s -w ' -> HTTP %{http_code}' "http://127.0.0.1:$port/actuator/health/readiness" | head -c 400)"
      done
      log "  timed out after ${limit}s waiting for $what"
      return 1
    fi
    sleep 0.5
  done
}

json_field() {   # json_field NAME <<< json : first string or number value of "NAME"
  sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n1
}

roster_ready() {
  local port leaders=""
  for port in "${CLIENT_PORTS[@]}"; do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/actuator/health/readiness") == 200 ]] || return 1
    local l; l=$(curl -s "http://127.0.0.1:$port/v1/status" | json_field leader)
    [[ -n "$l" ]] || return 1
    leaders+="$l "
  done
  [[ $(tr ' ' '\n' <<<"$leaders" | sed '/^$/d' | sort -u | wc -l) -eq 1 ]]
}

# BENCH_PEER_TLS=1: members talk mutual TLS (certificates from scripts/peer-certs.sh in $WORK/certs).
# BENCH_AUTH=1: members require a bearer token, which curl (through $CURL_HOME/.curlrc) and the wrk
# scripts (BENCH_TOKEN) send. BENCH_AUTH=users: users and roles are on as well, and every request is
# signed in as a user whose role grants register, discover and readwrite (roster_users_setup), so each
# one's permissions are checked. Both apply to Roster only, so they need BENCH_SYSTEMS=roster.
roster_security_setup() {
  if [[ "${BENCH_PEER_TLS:-0}" == 1 || "${BENCH_AUTH:-0}" == 1 ]] && [[ " ${SYSTEMS:-roster} " == *" etcd "* ]]; then
    die "BENCH_PEER_TLS and BENCH_AUTH apply to Roster only: run with BENCH_SYSTEMS=roster"
  fi
  if [[ "${BENCH_AUTH:-0}" != 0 ]]; then
    BENCH_TOKEN=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 32)
    export BENCH_TOKEN
    export CURL_HOME="$WORK/curl-home"
    mkdir -p "$CURL_HOME"
    printf 'header = "Authorization: Bearer %s"\n' "$BENCH_TOKEN" >"$CURL_HOME/.curlrc"
    log "  client tokens on (roster.auth.tokens)"
    [[ "${BENCH_AUTH}" == users ]] && log "  users and roles on: requests sign in as a user with a role"
  fi
  [[ "${BENCH_PEER_TLS:-0}" == 1 ]] && log "  mutual TLS between members (roster.peer.*)"
  return 0
}

start_roster() {   # start_roster N : an N-node cluster; data dirs and logs under $WORK
  local n=$1 i cluster="" peers=() dir scheme=http security=()
  NODE_PIDS=(); NODE_NAMES=(); CLIENT_PORTS=()
  if [[ "${BENCH_PEER_TLS:-0}" == 1 ]]; then
    scheme=https
    "$BENCH_DIR/../scripts/peer-certs.sh" "$WORK/certs" $(seq -f 'n%g' 1 "$n") >/dev/null
  fi
  for i in $(seq 1 "$n"); do
    peers[$i]=$(free_port); CLIENT_PORTS+=("$(free_port)")
    cluster+="${cluster:+,}n$i=$scheme://127.0.0.1:${peers[$i]}"
  done
  for i in $(seq 1 "$n"); do
    dir="$WORK/roster-$n-n$i"; mkdir -p "$dir"
    local opts=${JVM_OPTS//%n/n$i}
    security=()
    [[ $scheme == https ]] && security+=(ROSTER_PEER_CERT_FILE="$WORK/certs/n$i.crt" ROSTER_PEER_KEY_FILE="$WORK/certs/n$i.key"
      ROSTER_PEER_TRUSTED_CA_FILE="$WORK/certs/ca.crt")
    [[ -n "${BENCH_TOKEN:-}" ]] && security+=(ROSTER_AUTH_TOKENS="$BENCH_TOKEN" ROSTER_AUTH_USER_TOKEN_TTL=2h)
    # shellcheck disable=SC2086
    env -u ROSTER_JAR ROSTER_NAME="n$i" ROSTER_DATA_DIR="$dir" ROSTER_INITIAL_CLUSTER="$cluster" \
      ROSTER_INITIAL_CLUSTER_STATE=new SERVER_PORT="${CLIENT_PORTS[$((i-1))]}" "${security[@]}" \
      "${NICE[@]}" java $opts -jar "$JAR" >"$WORK/roster-$n-n$i.log" 2>&1 &
    NODE_PIDS+=($!); PIDS+=($!); NODE_NAMES+=("n$i")
  done
  wait_until 180 "the Roster cluster to be ready" roster_ready || return 1
  find_roster_leader || return 1
  [[ "${BENCH_AUTH:-0}" != users ]] || roster_users_setup
}

# A root user, a user "bench" whose role grants register, discover and readwrite on everything, users and
# roles on; then every request (curl and wrk) carries bench's token instead of the static one.
roster_users_setup() {
  local api="http://127.0.0.1:$LEADER_PORT/v1/auth" password token call
  printf 'header = "Authorization: Bearer %s"\n' "$BENCH_TOKEN" >"$CURL_HOME/.curlrc"
  for call in "users {\"name\":\"root\",\"password\":\"bench-root\"}" "users {\"name\":\"bench\",\"password\":\"bench-user\"}" \
      "roles {\"name\":\"bench\"}" "roles/bench/permissions {\"access\":\"register\",\"prefix\":\"\"}" \
      "roles/bench/permissions {\"access\":\"discover\",\"prefix\":\"\"}" \
      "roles/bench/permissions {\"access\":\"readwrite\",\"prefix\":\"\"}"; do
    curl -sf -X POST -H 'Content-Type: application/json' -d "${call#* }" "$api/${call%% *}" >/dev/null \
      || { log "  users setup failed at POST /v1/auth/${call%% *}"; return 1; }
  done
  curl -sf -X PUT "$api/users/root/roles/root" >/dev/null && curl -sf -X PUT "$api/users/bench/roles/bench" >/dev/null \
    && curl -sf -X POST "$api/enable" >/dev/null || { log "  granting roles or enabling auth failed"; return 1; }
  token=$(curl -sf -X POST -H 'Content-Type: application/json' -d '{"name":"bench","password":"bench-user"}' "$api/authenticate" \
    | json_field token)
  [[ -n $token ]] || { log "  bench could not sign in"; return 1; }
  BENCH_TOKEN=$token
  export BENCH_TOKEN
  printf 'header = "Authorization: Bearer %s"\n' "$BENCH_TOKEN" >"$CURL_HOME/.curlrc"
}
find_roster_leader() {
  local port s
  LEADER_PORT=""
  for port in "${CLIENT_PORTS[@]}"; do
    s=$(curl -s "http://127.0.0.1:$port/v1/status")
    [[ $(json_field memberId <<<"$s") == $(json_field leader <<<"$s") ]] && LEADER_PORT=$port
    ROSTER_VERSION=$(json_field version <<<"$s")
  done
  [[ -n "$LEADER_PORT" ]] || { log "  no Roster leader found"; return 1; }
}

etcd_ready() {
  local port
  for port in "${CLIENT_PORTS[@]}"; do
    curl -s "http://127.0.0.1:$port/health" | grep -q '"health":"true"' || return 1
  done
}

start_etcd() {   # start_etcd N
  local n=$1 i cluster="" peers=() dir
  NODE_PIDS=(); NODE_NAMES=(); CLIENT_PORTS=()
  for i in $(seq 1 "$n"); do
    peers[$i]=$(free_port); CLIENT_PORTS+=("$(free_port)")
    cluster+="${cluster:+,}e$i=http://127.0.0.1:${peers[$i]}"
  done
  for i in $(seq 1 "$n"); do
    dir="$WORK/etcd-$n-e$i"; mkdir -p "$dir"
    local cport=${CLIENT_PORTS[$((i-1))]}
    # etcd's defaults otherwise (fsync on, snapshot-count 100000, no quota changes), as for Roster.
    "${NICE[@]}" etcd --name "e$i" --data-dir "$dir" \
      --listen-client-urls "http://127.0.0.1:$cport" --advertise-client-urls "http://127.0.0.1:$cport" \
      --listen-peer-urls "http://127.0.0.1:${peers[$i]}" --initial-advertise-peer-urls "http://127.0.0.1:${peers[$i]}" \
      --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token "bench-$n-$$" \
      --logger zap --log-outputs stderr >"$WORK/etcd-$n-e$i.log" 2>&1 &
    NODE_PIDS+=($!); PIDS+=($!); NODE_NAMES+=("e$i")
  done
  wait_until 120 "the etcd cluster to be healthy" etcd_ready || return 1
  local port s
  for port in "${CLIENT_PORTS[@]}"; do
    s=$(curl -s -X POST -d '{}' "http://127.0.0.1:$port/v3/maintenance/status")
    [[ $(json_field member_id <<<"$s") == $(json_field leader <<<"$s") ]] && LEADER_PORT=$port
  done
  [[ -n "$LEADER_PORT" ]] || { log "  no etcd leader found"; return 1; }
}

start_with_retries() {   # start_with_retries SYSTEM N : three attempts on fresh ports and data dirs
  local system=$1 n=$2 attempt f
  for attempt in 1 2 3; do
    log "starting $system with $n node(s)"
    LEADER_PORT=""
    if [[ $system == roster ]]; then start_roster "$n" && return 0; else start_etcd "$n" && return 0; fi
    stop_cluster
    for f in "$WORK/$system-$n-"*.log; do
      [[ -e $f && $f != *.attempt*.log ]] && mv "$f" "${f%.log}.attempt$attempt.log"
    done
    rm -rf "$WORK/$system-$n-"*/
    log "  $system did not start (attempt $attempt of 3); its logs are kept as *.attempt$attempt.log"
    tail -n 5 "$WORK/$system-$n-"*".attempt$attempt.log" >&2 || true
  done
  die "$system with $n node(s) did not start in 3 attempts"
}

stop_cluster() {
  stop_pids "${NODE_PIDS[@]+"${NODE_PIDS[@]}"}"
  local p
  for p in "${NODE_PIDS[@]+"${NODE_PIDS[@]}"}"; do forget_pid "$p"; done
  NODE_PIDS=()
}

# ---------------------------------------------------------------------------------- measurement
proc_ticks() {   # utime+stime of the given pids, in clock ticks
  local pid total=0 stat
  for pid in "$@"; do
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    total=$((total + ${12} + ${13}))
  done
  echo $total
}
machine_ticks() {   # "busy total" from /proc/stat
  local _ u n s idle io irq sirq steal
  read -r _ u n s idle io irq sirq steal _ </proc/stat
  echo "$((u + n + s + irq + sirq + steal)) $((u + n + s + idle + io + irq + sirq + steal))"
}

# Per-thread CPU of the servers ("tid name ticks" lines), to see where a node spends its CPU.
thread_ticks() {
  local pid
  for pid in "$@"; do
    cat /proc/"$pid"/task/*/stat 2>/dev/null || true
  done | awk '{ line = $0; o = index(line, "("); c = 0
                for (i = length(line); i > 0; i--) if (substr(line, i, 1) == ")") { c = i; break }
                name = substr(line, o + 1, c - o - 1); rest = substr(line, c + 2); split(rest, f, " ")
                gsub(/ /, "_", name); print $1, name, f[12] + f[13] }'
}
thread_report() {   # thread_report BEFORE AFTER SECONDS : CPU by thread group (digits folded), % of one core
  awk -v secs="$3" -v hz="$CLK_TCK" '
    NR == FNR { before[$1] = $3; next }
    { name = $2; gsub(/[0-9]+/, "#", name); d = $3 - (($1 in before) ? before[$1] : 0)
      cpu[name] += d; n[name]++; total += d }
    END { for (k in cpu) if (cpu[k] > 0) printf "%7.1f%%  %3d threads  %s\n", 100 * cpu[k] / hz / secs, n[k], k
          printf "%7.1f%%  total\n", 100 * total / hz / secs }' "$1" "$2" | sort -rn
}

# Connections and targets for a run of C clients against the current cluster (as bench/run.sh): with
# N > 1 nodes and C >= N, one wrk thread per node (C rounded down to a multiple of N, so every node
# gets the same number of connections); with C < N, one thread on the leader.
plan() {   # plan C -> sets P_THREADS P_CONNS P_TARGETS
  local c=$1 n=${#CLIENT_PORTS[@]} port
  if [[ $n -eq 1 || "${BENCH_SPREAD:-all}" == leader ]]; then
    P_THREADS=$(( c < 2 ? c : 2 )); P_CONNS=$c; P_TARGETS="127.0.0.1:$LEADER_PORT"
  elif [[ "${BENCH_SPREAD:-all}" == followers ]]; then
    P_THREADS=$(( n - 1 < c ? n - 1 : c )); P_CONNS=$(( c / P_THREADS * P_THREADS )); P_TARGETS=""
    for port in "${CLIENT_PORTS[@]}"; do
      [[ $port == "$LEADER_PORT" ]] || P_TARGETS+="${P_TARGETS:+,}127.0.0.1:$port"
    done
  elif [[ $c -lt $n ]]; then
    P_THREADS=1; P_CONNS=$c; P_TARGETS="127.0.0.1:$LEADER_PORT"
  else
    P_THREADS=$n; P_CONNS=$(( c / n * n )); P_TARGETS=""
    for port in "${CLIENT_PORTS[@]}"; do P_TARGETS+="${P_TARGETS:+,}127.0.0.1:$port"; done
  fi
}

result_field() { sed -n "s/^BENCHRESULT .*\b$1=\([^ ]*\).*/\1/p" "$2" | head -n1; }
us_ms() { awk -v u="$1" 'BEGIN { if (u == "NA" || u == "") print "NA"; else printf "%.2f", u / 1000 }'; }

# Prometheus: metric_value PORT REGEX -> sum of the values of the sample lines matching REGEX
metric_value() {
  curl -s --max-time 10 "http://127.0.0.1:$1/actuator/prometheus" \
    | awk -v re="$2" '$0 !~ /^#/ && $1 ~ re { s += $NF; n++ } END { if (n) printf "%.0f\n", s; else print "NA" }'
}

# Live heap (bytes) of a JVM: jcmd GC.class_histogram runs a full GC and sums the live objects in the same
# safepoint. (GC.run followed by GC.heap_info's "used" is not that: a server under load refills eden with
# tens of megabytes of garbage between the two jcmd calls.)
# heap_after_gc PID [FILE] : also keeps the histogram in FILE
heap_after_gc() {
  local pid=$1 file=${2:-/dev/null}
  jcmd "$pid" GC.class_histogram 2>/dev/null | tee "$file" \
    | awk '$1 == "Total" { print $3; found = 1 } END { if (!found) print "NA" }'
}

machine_info() {
  echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr), $(. /etc/os-release && echo "$PRETTY_NAME")"
}
busy_now() {   # % of one core used by everything on the machine over 2 s
  local m0 m1
  m0=$(machine_ticks); sleep 2; m1=$(machine_ticks)
  awk -v a="$m0" -v b="$m1" -v n="$(nproc)" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.0f", 100 * (y[1] - x[1]) / (y[2] - x[2]) * n }'
}

# wait_quiet SECONDS [PERCENT] : on a shared machine, wait up to SECONDS for the load of other processes
# to fall below PERCENT of one core (default 30) over a 2 s window, three windows in a row. Returns
# at once with SECONDS=0. Never fails: it only waits.
wait_quiet() {
  local limit=${1:-0} pct=${2:-30} end quiet=0 b
  [[ $limit -gt 0 ]] || return 0
  end=$((SECONDS + limit))
  while [[ $SECONDS -lt $end ]]; do
    b=$(busy_now)
    if [[ $b -lt $pct ]]; then quiet=$((quiet + 1)); [[ $quiet -ge 3 ]] && return 0; else quiet=0; fi
    [[ $quiet == 0 ]] && log "  waiting for a quieter machine: other processes use ${b}% of one core"
    sleep 8
  done
  log "  the machine did not get quiet within ${limit}s; going on"
}
