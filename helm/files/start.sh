#!/usr/bin/env bash
# Starts one member of the roster chart's StatefulSet, then execs $ROSTER_HOME/bin/roster-server.
#
# A pod cannot tell from its own state alone whether it bootstraps, restarts or joins, so it asks the
# other members (rosterctl member list) and decides:
#   data dir recorded, still a member       -> restart from it (whatever else happens, this is the common case)
#   data dir recorded, member id not listed -> it was removed: move the data dir aside, loudly, and join anew
#   empty data dir, listed unstarted        -> added already (or an original member starting late): join
#   empty data dir, listed started          -> its volume was lost: remove the old member, add this pod, join
#   empty data dir, not listed              -> scale-up: member add, then join (initial-cluster-state=existing)
#   empty data dir, no member answers       -> bootstrap (new) if it is one of the bootstrap members, else wait
#
# Input: POD_NAME, ROSTER_DATA_DIR, ROSTER_INITIAL_CLUSTER_TOKEN (env, from the StatefulSet);
# $ROSTER_CHART_DIR/members ("name peer-url client-url" per member) and bootstrap-replicas (the ConfigMap);
# ROSTER_TLS_DIR when the client port serves TLS;
# ROSTER_AUTH_TOKENS when members require a token. ROSTER_HOME defaults to /opt/roster.
set -euo pipefail

log() { printf 'roster-start: %s\n' "$*" >&2; }
# For what an operator must notice in the pod's log: data moved aside, a member replaced.
loud() {
    log "**********************************************************************"
    log "$*"
    log "**********************************************************************"
}

ROSTER_HOME="${ROSTER_HOME:-/opt/roster}"
chart_dir="${ROSTER_CHART_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
name="${POD_NAME:?POD_NAME must be the pod name (downward API metadata.name)}"
data_dir="${ROSTER_DATA_DIR:?ROSTER_DATA_DIR must be set}"
data_dir="${data_dir%/}"
members_file="$chart_dir/members"
bootstrap_replicas="$(tr -d '[:space:]' <"$chart_dir/bootstrap-replicas")"
rosterctl="$ROSTER_HOME/bin/rosterctl"
ordinal="${name##*-}"

# This pod's own line gives its peer and client URLs. A pod beyond the chart's replicas has none: it was
# started by `kubectl scale` (not supported: the chart owns the member list) or is being scaled down
# after the pre-upgrade hook removed it; either way it must not join.
own="$(awk -v n="$name" '$1 == n { print $2, $3 }' "$members_file")"
if [[ -z "$own" ]]; then
    log "$name is not one of the chart's members ($(awk '{ print $1 }' "$members_file" | paste -sd, -)):"
    log "scale with 'helm upgrade --set replicas=N'; a pod beyond replicas never joins. Exiting."
    exit 1
fi
read -r peer_url client_url <<<"$own"
client_port="${client_url##*:}"

export ROSTER_NAME="$name"
export SERVER_PORT="$client_port"
export ROSTER_ADVERTISE_CLIENT_URL="$client_url"
# Every chart member, this pod included: its own entry is its peer address, the others are whom the
# server asks at start (a member that is not running yet just does not answer).
ROSTER_INITIAL_CLUSTER="$(awk '{ printf "%s%s=%s", (NR > 1 ? "," : ""), $1, $2 }' "$members_file")"
export ROSTER_INITIAL_CLUSTER
# rosterctl asks the other members, in ordinal order.
ROSTERCTL_ENDPOINTS="$(awk -v n="$name" '$1 != n { print $3 }' "$members_file" | paste -sd, -)"
export ROSTERCTL_ENDPOINTS

[[ -z "${ROSTER_TLS_DIR:-}" ]] || trust_cluster_tls   # tls-truststore.sh
# With auth on, rosterctl sends the first of the tokens the members accept: while rotating, the Secret
# holds "old,new", and members not restarted yet accept only the old one.
[[ -z "${ROSTER_AUTH_TOKENS:-}" ]] || export ROSTERCTL_TOKEN="${ROSTER_AUTH_TOKENS%%,*}"

start_server() {
    export ROSTER_INITIAL_CLUSTER_STATE="$1"
    log "starting $name (initial-cluster-state=$1, peer $peer_url, client $client_url)"
    exec "$ROSTER_HOME/bin/roster-server"
}

# Sets members_out to `rosterctl member list`. Returns 0 when some member answered, 1 when none did
# (unreachable, not resolvable yet, or no leader: rosterctl's exit code 3), 2 on any other failure.
members_out=""
list_members() {
    members_out=""
    if [[ -z "$ROSTERCTL_ENDPOINTS" ]]; then
        return 1
    fi
    local status=0 err
    err="$(mktemp)"
    members_out="$("$rosterctl" --dial-timeout=2s --command-timeout=5s member list 2>"$err")" || status=$?
    case $status in
        0) ;;
        3) log "no member answered: $(cat "$err")"; status=1 ;;
        *) log "rosterctl member list failed (exit $status): $(cat "$err")"; members_out=""; status=2 ;;
    esac
    rm -f "$err"
    return $status
}

# This pod's line in members_out, found by its peer URL (a member added but not started has no name). A
# line is "<id>[unstarted]: peerURLs=<urls>" or "<id>: name=<n> peerURLs=<urls> clientURLs=…".
own_listing() {
    grep -E "peerURLs=([^ ]*,)?${peer_url//./\\.}(,| |$)" <<<"$members_out" || true
}

move_aside() {
    local aside
    aside="$data_dir.$1-$(date -u +%Y%m%dT%H%M%SZ)"
    mv "$data_dir" "$aside"
    echo "$aside"
}

# ---- a recorded data dir: restart, unless this member was removed ----
identity="$data_dir/member.properties"
if [[ -f "$identity" ]]; then
    member_id="$(sed -n 's/^member-id=//p' "$identity")"
    # Restarting must never depend on the others: only a member list that answered and lacks this
    # member's id stops it from starting as it is. An unreadable identity is the server's to refuse.
    listed_status=0
    list_members || listed_status=$?
    if [[ $listed_status -eq 0 && -n "$member_id" ]] && ! grep -q "^${member_id}[:[]" <<<"$members_out"; then
        aside="$(move_aside removed)"
        loud "member $name ($member_id) was removed from the cluster, so its data dir can never start again." \
            "Moved it to $aside (delete it when no longer wanted); $name joins as a new member."
    else
        log "$name restarts as member $member_id from its data dir"
        start_server existing
    fi
elif [[ -d "$data_dir" ]] && [[ -n "$(ls -A "$data_dir")" ]]; then
    # Files but no identity: a first start that failed before recording it. Nothing of a member's state.
    aside="$(move_aside incomplete)"
    log "the data dir had no member.properties (an interrupted first start); moved its files to $aside"
fi

# ---- an empty data dir: join a running cluster, or bootstrap one ----
listed_status=0
[[ -n "$members_out" ]] || list_members || listed_status=$?
if [[ $listed_status -eq 2 ]]; then
    log "cannot tell whether a cluster runs; exiting so that Kubernetes starts this pod again"
    exit 1
fi
if [[ $listed_status -eq 0 ]]; then
    listed="$(own_listing)"
    if [[ -z "$listed" ]] && ((ordinal < bootstrap_replicas)); then
        # A bootstrap member that the leader has not recorded in the member table yet (it does so within
        # a reconcile interval of its election) must join as itself, not be added as a new member.
        for _ in 1 2 3 4 5; do
            sleep 2
            list_members || break
            listed="$(own_listing)"
            [[ -z "$listed" ]] || break
        done
    fi
    if [[ -n "$listed" ]]; then
        listed_id="${listed%%[:\[]*}"
        if [[ "$listed" == *"[unstarted]"* ]]; then
            log "the cluster lists $peer_url as member $listed_id, not started yet: joining as it"
            start_server existing
        fi
        loud "the cluster lists $name as member $listed_id, started before, but this pod's data dir is empty" \
            "(its volume was lost or wiped): removing member $listed_id and adding $name as a new member."
        "$rosterctl" member remove "$listed_id"
    fi
    log "adding $name to the cluster at $peer_url"
    "$rosterctl" member add "$name" --peer-urls="$peer_url" >&2
    start_server existing
fi

if ((ordinal < bootstrap_replicas)); then
    log "no running cluster found; $name is one of the $bootstrap_replicas bootstrap members: bootstrapping"
    start_server new
fi
log "no member answered, and $name (ordinal $ordinal) is not one of the $bootstrap_replicas bootstrap members:"
log "it can only join a running cluster. Exiting; Kubernetes starts it again."
exit 1
