#!/usr/bin/env bash
# Executors through a Slurm job array (./sextant slurm submit) against the same executors started directly, in one
# run: time from submit to the first lease, and no-op trials/s. As root: starts a single-node Slurm in a temp
# directory (deploy/slurm/local-cluster.sh; installs slurm-wlm and munge when missing) and its own search-api
# (embedded PostgreSQL in a temp directory, in-process executor off, lease 3 s) on port 18190; stops both at exit.
# Usage: benchmarks/slurm.sh [tasks=3] [slots=2] [trials=1000] [rounds=direct,slurm,direct,slurm]
#        (needs the built jars: ./sextant build)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "benchmarks/slurm.sh: run as root (it starts a local Slurm cluster)" >&2; exit 1; }
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
port=${SLURM_BENCH_PORT:-18190}
[ -f search-api/target/sextant.jar ] && [ -f evaluators/target/sextant-executor.jar ] || ./sextant build
work=$(mktemp -d)
chmod 711 "$work"
pid=
cleanup() {
  SLURM_CONF=$work/cluster/slurm.conf scancel --user=root 2>/dev/null || true
  sleep 3
  deploy/slurm/local-cluster.sh stop "$work/cluster" || true
  [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
  cp "$work/server.log" "${TMPDIR:-/tmp}/sextant-bench-server.log" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
deploy/slurm/local-cluster.sh start "$work/cluster" --cpus 16 --port "${SLURM_BENCH_SLURM_PORT:-18817}" >/dev/null
export SLURM_CONF=$work/cluster/slurm.conf
export SEXTANT_TOKEN="sxt_bench_$(date +%s%N)"
SEXTANT_ADMIN_TOKEN=$SEXTANT_TOKEN "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -jar search-api/target/sextant.jar --server.port="$port" --sextant.data-dir="$work/pg" --logging.level.root=warn \
  --sextant.executor.in-process.enabled=false --sextant.dispatch.lease-seconds=3 \
  --sextant.dispatch.reap-interval-ms=200 > "$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 180); do curl -sf "localhost:$port/actuator/health" >/dev/null && break; sleep 1; done
curl -sf -X POST "localhost:$port/api/v1/tokens" -H "Authorization: Bearer $SEXTANT_TOKEN" \
  -H 'Content-Type: application/json' -d '{"name": "slurm-bench", "role": "EXECUTOR"}' \
  | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p' > "$work/executor-token"
chmod 600 "$work/executor-token"
[ -s "$work/executor-token" ] || { echo "benchmarks/slurm.sh: could not mint an EXECUTOR token" >&2; exit 1; }
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ); git $(git rev-parse --short HEAD); $(sinfo --version)"
"$JAVA_HOME/bin/java" -cp evaluators/target/sextant-executor.jar benchmarks/SlurmArray.java \
  "http://127.0.0.1:$port" "$PWD/evaluators/target/sextant-executor.jar" "$work/executor-token" "${1:-3}" "${2:-2}" \
  "${3:-1000}" "${4:-direct,slurm,direct,slurm}"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
