#!/usr/bin/env bash
# gp-bo on Hartmann6 end to end through the REST API and the in-process executor (issue 3), 10 seeds.
# Starts its own search-api (embedded PostgreSQL in a temp directory) on port 18097. Needs ./sextant build.
# Usage: benchmarks/gp-bo/rest.sh [seeds=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
. benchmarks/lib.sh
port=${REST_BENCH_PORT:-18097}
start_server "$port"
"$JAVA_HOME/bin/java" -cp evaluators/target/sextant-executor.jar benchmarks/gp-bo/RestHartmann6.java \
  "http://127.0.0.1:$port" "${1:-10}"
