#!/usr/bin/env bash
# Where gp-bo's time per suggestion goes in the speed figure of side_by_side.sh (issue 24): starts a search-api as
# side_by_side.sh does (port SBS_PORT, default 18098), records the server with JFR (profile settings, started by jcmd
# just before the run, dumped after it, so startup is not in it), runs speed_profile.py (Hartmann6, 300 trials,
# client wall per phase, the server's suggest timer, CPU seconds of client, server and PostgreSQL), then classifies
# the recording's CPU samples. Usage: benchmarks/gp-bo/speed_profile.sh [--n 300] [--seed 0]
set -euo pipefail
cd "$(dirname "$0")/../.."
. benchmarks/lib.sh
port=${SBS_PORT:-18098}
# SBS_SERVER_ARGS: extra server arguments, e.g. --sextant.embedded-db.durable=false (no fsync per commit)
start_server "$port" ${SBS_SERVER_ARGS:-}
jfr=${JFR_OUT:-$(mktemp -d)/speed-profile.jfr}
"$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=speedprofile settings=profile > /dev/null
SEXTANT_URL="http://127.0.0.1:$port" /usr/bin/python3 benchmarks/gp-bo/speed_profile.py --pid "$pid" --pgdata "$data" "$@"
"$JAVA_HOME/bin/jcmd" "$pid" JFR.dump name=speedprofile filename="$jfr" > /dev/null
/usr/bin/python3 benchmarks/gp-bo/speed_profile.py --jfr "$jfr"
echo "== recording: $jfr"
