#!/usr/bin/env bash
# The Spring Cloud starter's figures against a real three-member cluster on loopback (not part of any build):
#   - getInstances from the watch-fed cache: p50/p99/p99.9 of 1,000,000 calls after warm-up
#   - a registry change to the HeartbeatEvent the application sees: p50/p99 of 300 changes
#   - 1,000 registrations held by one scheduler thread for 5 minutes at the default TTL (30 s): false
#     expiries, and that thread's CPU per registration and minute (= one application's heartbeat cost)
# About 7 minutes. BENCH_QUICK=1 shows it works in about a minute but measures nothing worth quoting.
# Needs the server jar (./mvnw -DskipTests package at the top, or ROSTER_SERVER_JAR=...).
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
jar="${ROSTER_SERVER_JAR:-$top/target/roster.jar}"
[ -f "$jar" ] || { echo "no server jar at $jar: run ./mvnw -DskipTests package at $top" >&2; exit 1; }

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  settings=(-Dbench.instances=100 -Dbench.soak=PT20S -Dbench.ttl=PT6S)
else
  settings=(-Dbench.instances="${BENCH_INSTANCES:-1000}" -Dbench.soak="${BENCH_SOAK:-PT5M}" -Dbench.ttl="${BENCH_TTL:-PT30S}")
fi

"$top/mvnw" -q -f "$top/clients/pom.xml" -DskipTests install -pl spring-cloud-starter -am
module="$top/clients/spring-cloud-starter"
classpath_file="$(mktemp)"
trap 'rm -f "$classpath_file"' EXIT
"$top/mvnw" -q -f "$module/pom.xml" test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$classpath_file"

cd "$module"
java -Xmx512m -Droster.server.jar="$jar" "${settings[@]}" \
  -cp "$module/target/test-classes:$module/target/classes:$(cat "$classpath_file")" \
  -Dlogback.configurationFile="$module/target/test-classes/bench-logback.xml" io.roster.cloud.bench.StarterBench
