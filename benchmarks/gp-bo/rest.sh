#!/usr/bin/env bash
# gp-bo on Hartmann6 end to end through the REST API and the in-process executor (issue 3), 10 seeds.
# Starts its own search-api (embedded PostgreSQL in a temp directory) on port 18097. Needs ./sextant build.
# Usage: benchmarks/gp-bo/rest.sh [seeds=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
port=${REST_BENCH_PORT:-18097}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -f search-api/target/sextant.jar ] && [ -f evaluators/target/sextant-executor.jar ] || ./sextant build
export SEXTANT_ADMIN_TOKEN="sxt_bench_$(date +%s%N)"
export SEXTANT_TOKEN="$SEXTANT_ADMIN_TOKEN"
data=$(mktemp -d)
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar search-api/target/sextant.jar --server.port=$port \
  --sextant.data-dir="$data/pg" --logging.level.root=warn > "$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 180); do curl -sf localhost:$port/actuator/health >/dev/null && break; sleep 1; done
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ); git $(git rev-parse --short HEAD)"
"$JAVA_HOME/bin/java" -cp evaluators/target/sextant-executor.jar benchmarks/gp-bo/RestHartmann6.java \
  "http://127.0.0.1:$port" "${1:-10}"
