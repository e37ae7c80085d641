#!/usr/bin/env bash
# Builds the server jar of another revision of this repository, for tests that run two builds side by
# side (RollingUpgradeIT): scripts/release-jar.sh <revision> <output jar>. It checks the revision out
# in a temporary git worktree and packages it without tests; a jar already built from the same commit
# is kept. Needs the revision in the local history (a shallow clone: git fetch --unshallow).
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 <revision> <output jar>" >&2
    exit 2
fi
revision=$1
out=$2
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
if ! commit=$(git -C "$root" rev-parse --verify --quiet "$revision^{commit}"); then
    echo "release-jar: revision $revision is not in this clone's history (a shallow clone? git fetch --unshallow)" >&2
    exit 1
fi
if [[ -f "$out" && -f "$out.commit" && "$(cat "$out.commit")" == "$commit" ]]; then
    echo "release-jar: $out is already built from $commit"
    exit 0
fi

work=$(mktemp -d)
cleanup() {
    git -C "$root" worktree remove --force "$work/src" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
git -C "$root" worktree add --detach "$work/src" "$commit" >/dev/null
echo "release-jar: building $commit in $work/src"
# Offline when the local repository already has what the build needs (as on a machine that built this one).
(cd "$work/src" && { ./mvnw -B -q -o -DskipTests -Dinvoker.skip package 2>/dev/null \
    || ./mvnw -B -q -DskipTests -Dinvoker.skip package; })
mkdir -p "$(dirname "$out")"
cp "$work/src/target/roster.jar" "$out"
echo "$commit" >"$out.commit"
echo "release-jar: $out built from $commit"
