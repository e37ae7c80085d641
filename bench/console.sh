#!/usr/bin/env bash
# The console with a large service (docs/console.md, "Measured"): one Roster member from the built jar,
# 10,000 instances of one service, and headless Chromium. For the service view, then the services overview
# (which counts the same instances instead of listing them), it prints
#   - the first render (navigation start to every instance counted and drawn; goal < 1 s), median and
#     worst of 5 page loads;
#   - while 100 status changes a second hit that service for 20 s: the longest long task the page had
#     (PerformanceObserver 'longtask'; goal: none over 200 ms), and that it caught up.
#
#   bench/console.sh
#
# Settings (environment): BENCH_INSTANCES (10000), BENCH_LOADS (5), BENCH_RATE (changes/s, 100),
# BENCH_SECONDS (20). Needs chromium and chromium-driver (scripts/browser.sh installs them as root on Debian).
# Builds the jar and the test classes first (MVN_FLAGS, default -q; -o -q skips the network when all is cached).
set -euo pipefail
cd "$(dirname "$0")/.."
flags="${MVN_FLAGS:--q}"

scripts/browser.sh >/dev/null
# shellcheck disable=SC2086
./mvnw $flags -DskipTests -Dinvoker.skip package
# shellcheck disable=SC2086
./mvnw $flags -Dinvoker.skip test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/console-bench.classpath

exec java -Droster.jar=target/roster.jar -Droster.basedir="$PWD" \
    -Dbench.instances="${BENCH_INSTANCES:-10000}" -Dbench.loads="${BENCH_LOADS:-5}" \
    -Dbench.rate="${BENCH_RATE:-100}" -Dbench.seconds="${BENCH_SECONDS:-20}" \
    -cp "target/test-classes:target/classes:$(cat target/console-bench.classpath)" io.roster.console.ConsoleBench
