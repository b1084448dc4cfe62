#!/usr/bin/env bash
# Sustained mixed load (issue 9): ask/tell clients, executor processes and UI pollers against one search-api for N
# minutes; per-minute throughput, errors, latency percentiles, live heap after full GC, RSS, DB connections.
# Starts its own search-api (embedded PostgreSQL in a temp directory, in-process executor off) on port 18095.
# Usage: benchmarks/sustained.sh [minutes=10] [clients=32] [executors=8]     (needs ./sextant build)
set -euo pipefail
cd "$(dirname "$0")/.."
. benchmarks/lib.sh
minutes=${1:-10}; clients=${2:-32}; executors=${3:-8}
start_server "${SUSTAINED_PORT:-18095}" --sextant.executor.in-process.enabled=false
SEXTANT_PG_PID=$(head -1 "$(find "$data" -name postmaster.pid | head -1)")
export SEXTANT_PG_PID
"$JAVA_HOME/bin/java" -cp evaluators/target/sextant-executor.jar benchmarks/SustainedLoad.java \
  "http://127.0.0.1:${SUSTAINED_PORT:-18095}" evaluators/target/sextant-executor.jar "$pid" "$minutes" "$clients" \
  "$executors"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg); server log errors: $(grep -c ' ERROR ' "$data/server.log" || true)"
grep ' ERROR ' "$data/server.log" | head -5 || true
