#!/usr/bin/env bash
# Makes a Docker-compatible container engine API available for the container tests, idempotently, and
# prints the environment for Testcontainers on stdout as KEY=VALUE lines (progress goes to stderr):
#
#   DOCKER_HOST=unix:///run/podman/podman.sock
#   TESTCONTAINERS_HOST_OVERRIDE=localhost       (only for the Podman socket this script serves)
#
#   while read -r setting; do export "$setting"; done < <(scripts/container-engine.sh)
#
# 1. An engine that already answers GET /_ping (at $DOCKER_HOST, /var/run/docker.sock or the Podman
#    socket) is used as it is.
# 2. Otherwise, as root on a Debian-like system: install podman, runc and debootstrap; build a JRE 17
#    base image (eclipse-temurin:17-jre) from Debian packages when it is missing, since no image registry
#    may be reachable, and the JRE 25 one the Dockerfile names (eclipse-temurin:25-jre) from it and this
#    machine's Temurin 25 (also done when Podman already serves); start `podman system service` on
#    $ROSTER_PODMAN_SOCKET (default /run/podman/podman.sock) in the background.
# Podman runs with scripts/container-engine/containers.conf (through CONTAINERS_CONF), which makes it
# work on cgroup v1 hosts without changing /etc/containers.
#
# Exit status: 0 with DOCKER_HOST printed; 2 when no engine answers and none can be set up here.
# ROSTER_CONTAINER_ENGINE_SETUP=0 only looks for a running engine and never installs or starts one.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
socket="${ROSTER_PODMAN_SOCKET:-/run/podman/podman.sock}"
base_image="docker.io/library/eclipse-temurin:17-jre"
service_log="${ROSTER_PODMAN_LOG:-/var/log/roster-podman-service.log}"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/container-engine/containers.conf}"

log() { echo "container-engine: $*" >&2; }

# True when the Docker API at $1 (unix:///path or tcp://host:port) answers the ping with OK.
answers() {
    local host="$1" reply
    command -v curl >/dev/null 2>&1 || return 1
    case "$host" in
        unix://*) reply="$(curl -fsS --max-time 5 --unix-socket "${host#unix://}" http://engine/_ping 2>/dev/null)" || return 1 ;;
        tcp://*) reply="$(curl -fsS --max-time 5 "http://${host#tcp://}/_ping" 2>/dev/null)" || return 1 ;;
        *) return 1 ;;
    esac
    [[ "$reply" == OK* ]]
}

found() {
    log "using the engine at $1"
    echo "DOCKER_HOST=$1"
    # Podman here publishes container ports on this machine; Testcontainers, seeing /.dockerenv, would
    # use the default bridge's gateway, which Podman does not forward to containers on other networks.
    if [[ "$1" == "unix://$socket" ]]; then
        echo "TESTCONTAINERS_HOST_OVERRIDE=localhost"
    fi
    exit 0
}

# The JRE 25 base image the Dockerfile names (eclipse-temurin:25-jre), when no registry is reachable: the
# JRE 17 stand-in below with this machine's Temurin 25 as /opt/java/openjdk, JAVA_HOME and first on the
# PATH, as in eclipse-temurin's own images. Only with Podman, as root, once the 17 stand-in exists; a no-op
# when the image is there. Without a Temurin 25 here (ROSTER_JDK25_HOME, else /usr/lib/jvm/temurin-25-*),
# it says so: build with --build-arg JRE_IMAGE=eclipse-temurin:17-jre instead.
base25_image="docker.io/library/eclipse-temurin:25-jre"
ensure_jre25_image() {
    [[ "$(id -u)" == 0 ]] && command -v podman >/dev/null 2>&1 || return 0
    podman image exists "$base25_image" && return 0
    podman image exists "$base_image" || return 0
    local jdk ctx
    jdk="${ROSTER_JDK25_HOME:-$( (ls -d /usr/lib/jvm/temurin-25-jre* /usr/lib/jvm/temurin-25-jdk* 2>/dev/null || true) | head -n 1)}"
    if [[ -z "$jdk" || ! -x "$jdk/bin/java" ]]; then
        log "no $base25_image and no Temurin 25 here to make one from; build with --build-arg JRE_IMAGE=eclipse-temurin:17-jre"
        return 0
    fi
    log "making $base25_image from $base_image and $jdk"
    ctx="$(mktemp -d /var/tmp/roster-jre25.XXXXXX)"
    cp -a "$jdk" "$ctx/jdk"
    rm -rf "$ctx/jdk/jmods" "$ctx/jdk/lib/src.zip" "$ctx/jdk/man" "$ctx/jdk/include" "$ctx/jdk/demo"
    printf '%s\n' "FROM $base_image" "COPY jdk /opt/java/openjdk" "ENV JAVA_HOME=/opt/java/openjdk" \
        "ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" >"$ctx/Containerfile"
    podman build --pull=never -q -t "$base25_image" "$ctx" >&2 || log "could not make $base25_image"
    rm -rf "$ctx"
}
if answers "unix://$socket" && [[ "$(id -u)" == 0 ]]; then
    # One at a time, as the set-up below: a CI script and a test run may both get here.
    if exec 9>/run/lock/roster-container-engine.lock; then flock 9; fi
    ensure_jre25_image
    exec 9>&-
fi

for candidate in ${DOCKER_HOST:+"$DOCKER_HOST"} unix:///var/run/docker.sock "unix://$socket"; do
    if answers "$candidate"; then
        found "$candidate"
    fi
done

if [[ "${ROSTER_CONTAINER_ENGINE_SETUP:-1}" == "0" ]]; then
    log "no container engine answers, and ROSTER_CONTAINER_ENGINE_SETUP=0 forbids setting one up"
    exit 2
fi
if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    log "no Docker or Podman engine answers, and Podman cannot be installed here (needs root and apt-get)"
    exit 2
fi

# One set-up at a time: the CI script and a test run may both get here.
exec 9>/run/lock/roster-container-engine.lock
flock 9

missing=()
for tool in podman runc debootstrap curl; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq "${missing[@]}" >&2; then
        apt-get update -qq >&2
        apt-get install -y -qq "${missing[@]}" >&2 || { log "cannot install ${missing[*]}"; exit 2; }
    fi
fi

if podman image exists "$base_image"; then
    log "base image $base_image is present"
else
    # The same Debian release and mirror as this machine's apt, so it works wherever apt does.
    mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
    [[ -n "$mirror" ]] || mirror="$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)"
    mirror="${mirror:-http://deb.debian.org/debian}"
    suite="$( . /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
    rootfs="$(mktemp -d /var/tmp/roster-jre-rootfs.XXXXXX)"
    trap 'rm -rf "$rootfs"' EXIT
    log "building $base_image from Debian $suite packages (openjdk-17-jre-headless) with debootstrap; takes a few minutes"
    debootstrap --variant=minbase --include=openjdk-17-jre-headless "$suite" "$rootfs" "$mirror" >&2
    # Package caches and lists are of no use in a runtime image.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log
    java_home="$(cd "$rootfs" && ls -d usr/lib/jvm/java-17-openjdk-* | head -1)"
    # Like the real eclipse-temurin image: JAVA_HOME set and java on the PATH.
    tar -C "$rootfs" -c . | podman import \
        --change "ENV JAVA_HOME=/$java_home" \
        --change "ENV PATH=/$java_home/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        --change "CMD [\"jshell\"]" \
        - "$base_image" >&2
    rm -rf "$rootfs"
    trap - EXIT
fi

ensure_jre25_image

if ! answers "unix://$socket"; then
    log "starting podman system service on $socket (log: $service_log)"
    mkdir -p "$(dirname "$socket")"
    rm -f "$socket"
    # The service and the DNS helpers it starts outlive this script, and the checkout it runs from. So
    # they hold none of this script's descriptors: not the set-up lock (fd 9), and not stdout, which is
    # the caller's "$(...)" pipe (the caller would wait for the service to end). They run not in the
    # caller's directory (once that is deleted, every container start fails with "conmon: Failed to get
    # working directory"), and with a copy of the settings.
    service_conf="$(dirname "$socket")/roster-containers.conf"
    cp "$CONTAINERS_CONF" "$service_conf"
    (
        cd /
        # Descriptors inherited from whatever started this script (a CI runner's output pipe, say).
        for fd in /proc/$BASHPID/fd/*; do
            fd="${fd##*/}"
            if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
        done
        CONTAINERS_CONF="$service_conf" exec nohup setsid podman system service --time=0 "unix://$socket" &
    ) >>"$service_log" 2>&1 </dev/null
    for _ in $(seq 1 100); do
        answers "unix://$socket" && break
        sleep 0.2
    done
fi
if answers "unix://$socket"; then
    found "unix://$socket"
fi
log "podman system service does not answer on $socket; see $service_log"
exit 2
