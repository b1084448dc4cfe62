#!/usr/bin/env bash
# Sustained mixed load (issue 9): ask/tell clients, executor processes and UI pollers against one search-api for N
# minutes; per-minute throughput, errors, latency percentiles, live heap after full GC, RSS, DB connections.
# Starts its own search-api (embedded PostgreSQL in a temp directory, in-process executor off) on port 18095.
# Usage: benchmarks/sustained.sh [minutes=10] [clients=32] [executors=8]     (needs ./sextant build)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}; clients=${2:-32}; executors=${3:-8}; port=${SUSTAINED_PORT:-18095}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -f search-api/target/sextant.jar ] && [ -f evaluators/target/sextant-executor.jar ] || ./sextant build
export SEXTANT_ADMIN_TOKEN="sxt_bench_$(date +%s%N)"
export SEXTANT_TOKEN="$SEXTANT_ADMIN_TOKEN"
data=$(mktemp -d)
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar search-api/target/sextant.jar --server.port=$port \
  --sextant.data-dir="$data/pg" --sextant.executor.in-process.enabled=false \
  --logging.level.root=warn > "$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 180); do curl -sf localhost:$port/actuator/health >/dev/null && break; sleep 1; done
SEXTANT_PG_PID=$(head -1 "$(find "$data" -name postmaster.pid | head -1)")
export SEXTANT_PG_PID
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ); git $(git rev-parse --short HEAD)"
"$JAVA_HOME/bin/java" -cp evaluators/target/sextant-executor.jar benchmarks/SustainedLoad.java \
  "http://127.0.0.1:$port" evaluators/target/sextant-executor.jar "$pid" "$minutes" "$clients" "$executors"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg); server log errors: $(grep -c ' ERROR ' "$data/server.log" || true)"
grep ' ERROR ' "$data/server.log" | head -5 || true
