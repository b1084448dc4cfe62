#!/usr/bin/env bash
# Dispatch overhead of executor nodes: no-op trials/s with 1, 8 and 64 slots (separate executor processes), lease
# handoff latency p50/p95, kill -9 -> re-dispatch time. Starts its own search-api (embedded PostgreSQL in a temp
# directory, in-process executor off, lease 3 s, reaper 200 ms) on port 18090, runs benchmarks/Dispatch.java, stops.
# Usage: benchmarks/dispatch.sh [seconds=20]      (needs the built jars: ./sextant build)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}; lease=3; port=${DISPATCH_PORT:-18090}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -f search-api/target/sextant.jar ] && [ -f evaluators/target/sextant-executor.jar ] || ./sextant build
# the server installs this as its admin token; the benchmark client and the executor processes send it
export SEXTANT_ADMIN_TOKEN="sxt_bench_$(date +%s%N)"
export SEXTANT_TOKEN="$SEXTANT_ADMIN_TOKEN"
data=$(mktemp -d)
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar search-api/target/sextant.jar --server.port=$port \
  --sextant.data-dir="$data/pg" --sextant.executor.in-process.enabled=false \
  --sextant.dispatch.lease-seconds=$lease --sextant.dispatch.reap-interval-ms=200 \
  --logging.level.root=warn > "$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 180); do curl -sf localhost:$port/actuator/health >/dev/null && break; sleep 1; done
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ); git $(git rev-parse --short HEAD)"
"$JAVA_HOME/bin/java" -cp evaluators/target/sextant-executor.jar benchmarks/Dispatch.java \
  "http://127.0.0.1:$port" evaluators/target/sextant-executor.jar "$secs" "$lease"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
