# Shared by the benchmark scripts: start_server PORT [spring args...] starts search-api from the built jar
# (SEXTANT_JAR, default search-api/target/sextant.jar) on an
# embedded PostgreSQL in a fresh temp directory ($data), with a fresh admin token exported as SEXTANT_ADMIN_TOKEN
# and SEXTANT_TOKEN (what the benchmark clients and executor processes send), waits until it is healthy and stops
# it (and removes $data) when the calling script exits. Sets $pid (the server) and $data.
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
start_server() {
  local port=$1; shift
  local jar=${SEXTANT_JAR:-search-api/target/sextant.jar}
  [ -f "$jar" ] && [ -f evaluators/target/sextant-executor.jar ] || ./sextant build
  export SEXTANT_ADMIN_TOKEN="sxt_bench_$(date +%s%N)"
  export SEXTANT_TOKEN="$SEXTANT_ADMIN_TOKEN"
  data=$(mktemp -d)
  # SEXTANT_BENCH_JFR=DIR: a JFR recording of the server (default settings, ~1% overhead) into DIR
  local jfr=()
  [ -n "${SEXTANT_BENCH_JFR:-}" ] && mkdir -p "$SEXTANT_BENCH_JFR" && \
    jfr=("-XX:StartFlightRecording=filename=$SEXTANT_BENCH_JFR/$(basename "$jar" .jar)-$(date +%H%M%S).jfr,settings=profile")
  "$JAVA_HOME/bin/java" "${jfr[@]}" --enable-native-access=ALL-UNNAMED -jar "$jar" --server.port="$port" \
    --sextant.data-dir="$data/pg" --logging.level.root=warn "$@" > "$data/server.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; cp "$data/server.log" "${TMPDIR:-/tmp}/sextant-bench-server.log" 2>/dev/null || true; rm -rf "$data"' EXIT
  for _ in $(seq 180); do curl -sf "localhost:$port/actuator/health" >/dev/null && break; sleep 1; done
  echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ); git $(git rev-parse --short HEAD); jar $jar"
}
