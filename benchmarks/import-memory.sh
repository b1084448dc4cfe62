#!/usr/bin/env bash
# Memory under concurrent large study imports (issue 19 item 8): N clients POST the same ~M MB sextant-study/1
# document to /api/v1/studies/import at once; prints the server JVM's peak resident memory, each answer's status
# and time. Usage: bash benchmarks/import-memory.sh [clients=14] [megabytes=58]
# Needs the built jar (./sextant build); python3 (standard library) inflates a small export to the size.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-14}; mb=${2:-58}
. benchmarks/lib.sh
port=18391
start_server $port --sextant.executor.in-process.enabled=false
auth=(-H "Authorization: Bearer $SEXTANT_ADMIN_TOKEN")
curl -s --fail-with-body "${auth[@]}" localhost:$port/api/v1/studies -H 'Content-Type: application/json' -d '{"name": "seed",
  "space": {"parameters": [{"name": "x", "type": "float", "low": 0, "high": 1}]},
  "objectives": [{"metric": "y"}], "algorithm": {"name": "random", "options": {"seed": 1}}}' > /dev/null
curl -s --fail-with-body "${auth[@]}" localhost:$port/api/v1/studies/1/suggestions -H 'Content-Type: application/json' -d '{"count": 1}' >/dev/null
for s in 1 2 3 4 5; do
  curl -s --fail-with-body "${auth[@]}" localhost:$port/api/v1/studies/1/trials/1/measurements -H 'Content-Type: application/json' \
    -d "{\"step\": $s, \"values\": {\"y\": $s}}" > /dev/null
done
curl -s --fail-with-body "${auth[@]}" localhost:$port/api/v1/studies/1/trials/1/complete -H 'Content-Type: application/json' \
  -d '{"values": {"y": 0.5}}' > /dev/null
curl -s --fail-with-body "${auth[@]}" "localhost:$port/api/v1/studies/1/export?format=json" > "$data/seed.json"
/usr/bin/python3 - "$data/seed.json" "$data/big.json" "$mb" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
target = int(sys.argv[3]) * 1024 * 1024
template = doc["trials"][0]
trials, n = [], 0
size = 0
while size < target:
    n += 1
    t = json.loads(json.dumps(template))
    t["number"] = n
    size += len(json.dumps(t)) + 1
    trials.append(t)
doc["trials"] = trials
doc["nextNumber"] = n + 1
json.dump(doc, open(sys.argv[2], "w"))
print(f"== document: {n} trials, {size / 2**20:.1f} MiB")
PY
peak=0
( while kill -0 $pid 2>/dev/null; do awk '/VmRSS/{print $2}' /proc/$pid/status; sleep 0.2; done ) > "$data/rss" &
sampler=$!
start=$(date +%s.%N)
importers=()
for i in $(seq "$clients"); do
  curl -s -o /dev/null -w "import $i: %{http_code} in %{time_total} s\n" "${auth[@]}" -H 'Content-Type: application/json' \
    --data-binary @"$data/big.json" "localhost:$port/api/v1/studies/import?name=copy-$i" &
  importers+=($!)
done
wait "${importers[@]}" || true
kill $sampler 2>/dev/null || true
echo "== $clients concurrent imports done in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b - a}') s"
echo "== server JVM peak RSS: $(sort -n "$data/rss" | tail -1 | awk '{printf "%.0f MiB", $1/1024}')"
curl -s -o /dev/null -w "== a read while it was all over: %{http_code} in %{time_total} s\n" "${auth[@]}" localhost:$port/api/v1/studies
