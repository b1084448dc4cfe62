#!/usr/bin/env bash
# Per-trial traces of gp-bo (REST) and GPSampler (see trace.py): starts a search-api as side_by_side.sh does
# (port SBS_PORT, default 18099), then runs trace.py with the given arguments.
# Example: OPTUNA_SRC=/tmp/optuna-src benchmarks/gp-bo/trace.sh --fn levy10 --seeds 0-19 --out /tmp/levy10-traces.jsonl
set -euo pipefail
cd "$(dirname "$0")/../.."
. benchmarks/lib.sh
port=${SBS_PORT:-18099}
start_server "$port"
echo "== optuna commit $(cat "${OPTUNA_SRC:-/tmp/optuna-src}/COMMIT" 2>/dev/null || echo unknown)"
SEXTANT_URL="http://127.0.0.1:$port" /usr/bin/python3 benchmarks/gp-bo/trace.py "$@"
