#!/usr/bin/env bash
# Dispatch overhead of executor nodes: no-op trials/s with 1, 8 and 64 slots (separate executor processes), lease
# handoff latency p50/p95, kill -9 -> re-dispatch time. Starts its own search-api (embedded PostgreSQL in a temp
# directory, in-process executor off, lease 3 s, reaper 200 ms) on port 18090, runs benchmarks/Dispatch.java, stops.
# Usage: benchmarks/dispatch.sh [seconds=20]      (needs the built jars: ./sextant build)
set -euo pipefail
cd "$(dirname "$0")/.."
. benchmarks/lib.sh
secs=${1:-20}; lease=3; port=${DISPATCH_PORT:-18090}
start_server "$port" --sextant.executor.in-process.enabled=false --sextant.dispatch.lease-seconds=$lease \
  --sextant.dispatch.reap-interval-ms=200
"$JAVA_HOME/bin/java" -cp evaluators/target/sextant-executor.jar benchmarks/Dispatch.java \
  "http://127.0.0.1:$port" evaluators/target/sextant-executor.jar "$secs" "$lease" ${2:+"$2"}
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
