#!/usr/bin/env bash
# Makes the JVM's start-up cache for Roster with a training run: a class-data archive (AppCDS, JDK 17 to
# 24) or an AOT cache with method profiles (JDK 25 and newer, JEP 483/514/515). bin/roster (and so the
# container image's entrypoint) uses it when it is there; see docs/adr/0019-jvm-start-up-cache.md.
#
#   scripts/train-cache.sh                         # target/roster.jar -> target/roster-cache/
#   scripts/train-cache.sh JAR [DIR]               # JAR -> DIR (default: roster-cache next to JAR)
#   scripts/train-cache.sh /opt/roster/roster.jar  # an extracted layout (lib/ next to the jar): in place
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 scripts/train-cache.sh   # an AOT cache for JDK 25
#
# A cache only works with the exact class path it was made with, so the server has to run from an
# extracted jar (Spring Boot's `java -Djarmode=tools -jar roster.jar extract`: a thin roster.jar and
# lib/), not from the fat jar, whose nested jars the JVM cannot map. For a fat jar this script extracts it
# into DIR first and notes its size and time in DIR/source.stamp, so that bin/roster ignores a cache made
# from another build. The cache is DIR/roster-<JDK runtime version>.jsa (or .aot): one per JDK, made by
# and only valid for $JAVA_HOME/bin/java (else java on the PATH).
#
# The training run: three members on free loopback ports with data in a temporary dir, the cache
# recorded by the first; $ROSTER_TRAIN_SECONDS (default 30) of every kind of request through all three
# (io.roster.cli.TrainingLoad: writes, reads, registrations, heartbeats, lookups, leases, health,
# metrics), leadership moved half-way so that the first member runs both a leader's and a follower's
# code; then all stop gracefully and the JVM writes the cache at exit. About a minute on 2 cores; needs
# only bash and the JDK (no curl), so it runs in the image build as well.
# Settings: ROSTER_TRAIN_SECONDS, ROSTER_TRAIN_MEMBERS (1 or 3, default 3), ROSTER_TRAIN_JAVA_OPTS
# (extra options for the recording member).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="${1:-$here/../target/roster.jar}"
[[ -f "$jar" ]] || { echo "train-cache: no jar at $jar (build it: ./mvnw -DskipTests package)" >&2; exit 1; }
jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"
seconds="${ROSTER_TRAIN_SECONDS:-30}"
members="${ROSTER_TRAIN_MEMBERS:-3}"
[[ "$members" == 1 || "$members" == 3 ]] || { echo "train-cache: ROSTER_TRAIN_MEMBERS is 1 or 3" >&2; exit 1; }

log() { echo "train-cache: $*" >&2; }

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    java="$JAVA_HOME/bin/java"
else
    java="$(command -v java)" || { log "no java on the PATH and JAVA_HOME is not set"; exit 1; }
fi
java_home="$(dirname "$(dirname "$(readlink -f "$java")")")"
# The JDK's own identity, as bin/roster reads it: the archive of one JDK build is useless to another.
runtime="$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$java_home/release" 2>/dev/null | tr -c 'A-Za-z0-9._+\n-' '_')"
feature="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*$/\1/p' "$java_home/release" 2>/dev/null)"
[[ -n "$runtime" && -n "$feature" ]] || { log "cannot read the JDK's version from $java_home/release"; exit 1; }

if [[ -d "$(dirname "$jar")/lib" ]]; then
    # Already extracted (the container image's /opt/roster): train in place.
    dir="$(dirname "$jar")"
    thin="$jar"
else
    dir="${2:-$(dirname "$jar")/roster-cache}"
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    thin="$dir/roster.jar"
    # Extracted again only for another build of the jar (whose caches, made for the old one, go with it);
    # the same build keeps its extraction and the caches of other JDKs.
    if [[ ! -f "$thin" || "$(cat "$dir/source.stamp" 2>/dev/null)" != "$(stat -c '%s %Y' "$jar")" ]]; then
        rm -rf "$dir/lib" "$thin" "$dir/source.stamp" "$dir"/roster-*.jsa "$dir"/roster-*.aot
        log "extracting $jar into $dir"
        "$java" -Djarmode=tools -jar "$jar" extract --destination "$dir" >/dev/null
        # The extracted jar keeps the fat jar's name; bin/roster looks for roster.jar.
        [[ "$(basename "$jar")" == roster.jar ]] || mv "$dir/$(basename "$jar")" "$thin"
    fi
fi

if [[ "$feature" -ge 25 ]]; then
    cache="$dir/roster-$runtime.aot"
    record=(-XX:AOTCacheOutput="$cache.tmp")
else
    cache="$dir/roster-$runtime.jsa"
    record=(-XX:ArchiveClassesAtExit="$cache.tmp")
fi

work="$(mktemp -d)"
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]+"${pids[@]}"}"; do kill -KILL "$pid" 2>/dev/null || true; done
    rm -rf "$work" "$cache.tmp" "$cache.tmp.config"
}
trap cleanup EXIT

free_port() {
    local p
    while :; do
        p=$(( 12000 + (RANDOM * 32768 + RANDOM) % 20000 ))
        [[ " ${used_ports:-} " == *" $p "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            used_ports="${used_ports:-} $p"
            echo "$p"
            return
        fi
    done
}
ready() {   # ready PORT: readiness answers 200 (bash's /dev/tcp: the image has no curl)
    local status
    { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
    printf 'GET /actuator/health/readiness HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
    IFS=$' \r' read -r -t 5 _ status _ <&3 || { exec 3<&-; return 1; }
    exec 3<&-
    [[ "$status" == 200 ]]
}

cluster=""
client_ports=()
for i in $(seq 1 "$members"); do
    client_ports+=("$(free_port)")
    cluster+="${cluster:+,}t$i=http://127.0.0.1:$(free_port)"
done
log "training with $java ($runtime): $members member(s), ${seconds}s of load"
for i in $(seq 1 "$members"); do
    mkdir -p "$work/t$i"
    if [[ $i == 1 ]]; then
        # shellcheck disable=SC2206
        opts=("${record[@]}" ${ROSTER_TRAIN_JAVA_OPTS:-})
    else
        # Helpers only: small and quick to compile, on a machine that is busy with the training member.
        opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m)
    fi
    ROSTER_NAME="t$i" ROSTER_DATA_DIR="$work/t$i" ROSTER_INITIAL_CLUSTER="$cluster" \
        ROSTER_INITIAL_CLUSTER_STATE=new SERVER_PORT="${client_ports[$((i - 1))]}" \
        "$java" "${opts[@]}" -Dlogging.path="$work/logs" -jar "$thin" >"$work/t$i.log" 2>&1 &
    pids+=($!)
done

deadline=$((SECONDS + 240))
for port in "${client_ports[@]}"; do
    until ready "$port"; do
        for pid in "${pids[@]}"; do
            kill -0 "$pid" 2>/dev/null || { log "a training member exited:"; tail -n 20 "$work"/t*.log >&2; exit 1; }
        done
        [[ $SECONDS -lt $deadline ]] || { log "the training cluster was not ready in 240 s"; tail -n 20 "$work"/t*.log >&2; exit 1; }
        sleep 0.5
    done
done

urls=()
for port in "${client_ports[@]}"; do urls+=("http://127.0.0.1:$port"); done
"$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$thin" io.roster.cli.TrainingLoad "$seconds" "${urls[@]}" >&2 \
    || { log "the training load failed"; exit 1; }

# Graceful stop: the recording member writes the cache as its JVM exits (JDK 25 then starts a second JVM
# to assemble it, which takes a while).
for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
pids=()
if [[ ! -s "$cache.tmp" ]]; then
    log "the training member wrote no cache:"
    tail -n 30 "$work/t1.log" >&2
    exit 1
fi
mv -f "$cache.tmp" "$cache"
rm -f "$cache.tmp.config"
if [[ "$dir" != "$(dirname "$jar")" ]]; then
    stat -c '%s %Y' "$jar" >"$dir/source.stamp"
fi
log "wrote $cache ($(du -h "$cache" | cut -f1))"
