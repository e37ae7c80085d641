#!/usr/bin/env bash
# Makes a headless Chromium and its WebDriver available for the console's browser tests, idempotently,
# and prints where they are on stdout as KEY=VALUE lines (progress goes to stderr):
#
#   ROSTER_CHROMIUM=/usr/bin/chromium
#   ROSTER_CHROMEDRIVER=/usr/bin/chromedriver
#
#   while read -r setting; do export "$setting"; done < <(scripts/browser.sh)
#
# Both come from Debian (chromium, chromium-driver), so the browser and its driver always match, and no
# test downloads a browser from the network at run time. As root on a Debian-like system they are
# installed when missing; elsewhere the tests look on the PATH and skip themselves when none is found.
#
# Exit status: 0 with both printed; 2 when neither is found nor can be installed here.
set -euo pipefail

log() { echo "browser: $*" >&2; }

find_pair() {
    chromium="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
    driver="$(command -v chromedriver || true)"
    [[ -n "$chromium" && -n "$driver" ]]
}

if ! find_pair; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        log "installing chromium and chromium-driver (Debian packages)"
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >&2
    fi
    if ! find_pair; then
        log "no chromium and chromedriver found, and none could be installed here"
        exit 2
    fi
fi
log "using $chromium and $driver"
echo "ROSTER_CHROMIUM=$chromium"
echo "ROSTER_CHROMEDRIVER=$driver"
