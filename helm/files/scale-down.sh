#!/usr/bin/env bash
# The roster chart's pre-upgrade/pre-rollback hook: removes the members whose pods the StatefulSet is
# about to delete (ordinal >= ROSTER_REPLICAS), highest ordinal first, one at a time. Each removal is
# checked by the cluster: one that would leave no reachable majority is refused (rosterctl exits 5), and
# this script stops there with that error, failing the upgrade before any pod is deleted.
#
# Input: ROSTER_REPLICAS (the replicas being applied), ROSTER_STATEFULSET (pods are <it>-<ordinal>, and
# so are the hosts of their peer URLs), ROSTERCTL_ENDPOINTS; ROSTER_TLS_DIR when the client port serves
# TLS; ROSTER_AUTH_TOKENS when members require a token. ROSTER_HOME defaults to /opt/roster.
set -euo pipefail

log() { printf 'roster-scale-down: %s\n' "$*" >&2; }

ROSTER_HOME="${ROSTER_HOME:-/opt/roster}"
replicas="${ROSTER_REPLICAS:?ROSTER_REPLICAS must be set}"
statefulset="${ROSTER_STATEFULSET:?ROSTER_STATEFULSET must be set}"
rosterctl="$ROSTER_HOME/bin/rosterctl"

[[ -z "${ROSTER_TLS_DIR:-}" ]] || trust_cluster_tls   # tls-truststore.sh
# With auth on, rosterctl sends the first of the tokens the members accept: while rotating, the Secret
# holds "old,new", and members not restarted yet accept only the old one.
[[ -z "${ROSTER_AUTH_TOKENS:-}" ]] || export ROSTERCTL_TOKEN="${ROSTER_AUTH_TOKENS%%,*}"

# Without an answer it cannot know whether members must go; failing keeps the StatefulSet as it is.
members="$("$rosterctl" member list)"

# "<ordinal> <id>" of every member beyond replicas, found by its peer URL's host, which also names the
# members that were added but never started (they have no name yet).
doomed="$(while IFS= read -r line; do
    if [[ "$line" =~ ^([0-9a-f]{16})[^\ ]*:\ .*peerURLs=[a-z]+://${statefulset}-([0-9]+)\. ]]; then
        if ((BASH_REMATCH[2] >= replicas)); then
            echo "${BASH_REMATCH[2]} ${BASH_REMATCH[1]}"
        fi
    fi
done <<<"$members" | sort -rn)"

if [[ -z "$doomed" ]]; then
    log "no member has an ordinal >= $replicas; nothing to remove"
    exit 0
fi
while read -r ordinal id; do
    log "removing $statefulset-$ordinal (member $id): replicas is now $replicas"
    "$rosterctl" member remove "$id"
done <<<"$doomed"
log "members now:"
"$rosterctl" member list >&2
