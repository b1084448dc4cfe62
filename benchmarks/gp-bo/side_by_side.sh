#!/usr/bin/env bash
# gp-bo against Optuna's GPSampler side by side (issue 24): starts a search-api (embedded PostgreSQL in a temp
# directory, port 18098; needs search-api/target/sextant.jar), then runs side_by_side.py with the given arguments
# (our gp-bo through the REST API with the Python client; the peer from OPTUNA_SRC, default /tmp/optuna-src, an
# extracted snapshot of github.com/optuna/optuna: `git --git-dir=<bare dir> archive HEAD | tar -x -C /tmp/optuna-src`
# and `git --git-dir=<bare dir> rev-parse HEAD > /tmp/optuna-src/COMMIT`, printed here).
# Example: benchmarks/gp-bo/side_by_side.sh --sides peer,ours --seeds 10 --speed 300 --out /tmp/sbs.jsonl
set -euo pipefail
cd "$(dirname "$0")/../.."
. benchmarks/lib.sh
port=${SBS_PORT:-18098}
start_server "$port"
echo "== optuna commit $(cat "${OPTUNA_SRC:-/tmp/optuna-src}/COMMIT" 2>/dev/null || echo unknown)"
SEXTANT_URL="http://127.0.0.1:$port" /usr/bin/python3 benchmarks/gp-bo/side_by_side.py "$@"
