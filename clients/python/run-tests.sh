#!/usr/bin/env bash
# The Python client's tests (clients/python/tests, unittest) against a real server: starts search-api from the built
# jar (./sextant build, or the maven package of ./sextant test) on a free port with a fresh embedded PostgreSQL and a
# chosen admin token, runs `python3 -m unittest discover`, and stops the server by its PID.
#   bash clients/python/run-tests.sh [unittest args, e.g. -k agent]
# Uses /usr/bin/python3 (Debian's, which sees python3-optuna; SEXTANT_TEST_PYTHON overrides) and installs what is
# missing of Debian's python3-optuna (the Optuna bridge test) and python3-venv/-setuptools/-wheel (the offline
# pip install test). The client itself and the other tests need nothing beyond the standard library.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
PY=${SEXTANT_TEST_PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=$(command -v python3)
jar=search-api/target/sextant.jar
[ -f "$jar" ] || { echo "run-tests.sh: $jar is missing: ./sextant build first" >&2; exit 1; }

if ! "$PY" -c 'import optuna, setuptools, wheel, ensurepip' 2>/dev/null; then
  echo "run-tests.sh: installing Debian's python3-venv, python3-setuptools, python3-wheel and python3-optuna" >&2
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  pkgs=(python3-venv python3-setuptools python3-wheel python3-optuna)
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}" >/dev/null 2>&1 \
    || { as_root apt-get update -q >/dev/null 2>&1
         as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}" >/dev/null; }
fi

port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data=$(mktemp -d)
token="sxt_pytest_$(date +%s%N)"
SEXTANT_ADMIN_TOKEN=$token "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" \
  --server.port="$port" --sextant.data-dir="$data/pg" --logging.level.root=warn > "$data/server.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 240); do
  if "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/actuator/health', timeout=2)" \
      2>/dev/null; then break; fi
  kill -0 "$pid" 2>/dev/null || { echo "run-tests.sh: the server exited:" >&2; tail -50 "$data/server.log" >&2; exit 1; }
  sleep 1
done

export SEXTANT_URL="http://127.0.0.1:$port" SEXTANT_TOKEN="$token" SEXTANT_TEST_SERVER_PID="$pid"
export PYTHONPATH="$root/clients/python${PYTHONPATH:+:$PYTHONPATH}"
cd clients/python
status=0
"$PY" -m unittest discover -s tests -t . "$@" || status=$?
if [ "$status" != 0 ]; then
  echo "run-tests.sh: failed; the server's log ends with:" >&2
  tail -30 "$data/server.log" >&2
fi
exit "$status"
