#!/usr/bin/env bash
# Makes a headless Firefox available for the console's Firefox test, idempotently, and prints where it is
# on stdout as a KEY=VALUE line (progress goes to stderr), as scripts/browser.sh does for Chromium:
#
#   ROSTER_FIREFOX=/usr/bin/firefox-esr
#
#   while read -r setting; do export "$setting"; done < <(scripts/firefox.sh)
#
# It comes from Debian (firefox-esr). No driver is needed: the test speaks WebDriver BiDi to the server
# built into Firefox (--remote-debugging-port), because Debian packages no geckodriver and nothing here
# downloads one. As root on a Debian-like system it is installed when missing; elsewhere the test looks on
# the PATH and skips itself when none is found. A sibling of browser.sh rather than part of it, so the
# Chromium callers (bench/console.sh) do not install a second browser they never use.
#
# Exit status: 0 with it printed; 2 when none is found nor can be installed here.
set -euo pipefail

log() { echo "firefox: $*" >&2; }

find_firefox() {
    firefox="$(command -v firefox-esr || command -v firefox || true)"
    [[ -n "$firefox" ]]
}

if ! find_firefox; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        log "installing firefox-esr (Debian package)"
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends firefox-esr >&2
    fi
    if ! find_firefox; then
        log "no firefox-esr or firefox found, and none could be installed here"
        exit 2
    fi
fi
log "using $firefox"
echo "ROSTER_FIREFOX=$firefox"
