#!/usr/bin/env bash
# Ask+tell throughput over HTTP: Sextant on its embedded PostgreSQL (durable, then as a throwaway run with
# fsync and synchronous_commit off; SEXTANT_BENCH_MODES="durable" for one) vs Optuna 3.1 RDB storage on PostgreSQL,
# measured in the same run. Usage: ./sextant bench-throughput [seconds=20] [growTo=100000]
# Needs: the built jar (./sextant build), apt packages postgresql python3-optuna python3-psycopg2 (installed here).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}; grow=${2:-100000}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
dpkg -s python3-optuna python3-psycopg2 postgresql >/dev/null 2>&1 || \
  { as_root apt-get update -q >/dev/null; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql python3-optuna python3-psycopg2 >/dev/null; }
. benchmarks/lib.sh
port=${SEXTANT_BENCH_PORT:-18080}
# the embedded database durable (the default: fsync, synchronous_commit on) and as a throwaway run
# (--sextant.embedded-db.durable=false: what every run was before durability became the default), in the same run
# SEXTANT_BENCH_JARS="a.jar b.jar a.jar b.jar": each mode with each jar in turn (an A/B comparison of two builds on
# the same machine in the same run; default: the built jar only)
for jar in ${SEXTANT_BENCH_JARS:-search-api/target/sextant.jar}; do
export SEXTANT_JAR=$jar
for mode in ${SEXTANT_BENCH_MODES:-durable throwaway}; do
  case $mode in
    durable) flags=() ;;
    throwaway) flags=(--sextant.embedded-db.durable=false) ;;
    *) echo "unknown mode $mode (durable | throwaway)" >&2; exit 2 ;;
  esac
  start_server $port --sextant.executor.in-process.enabled=false "${flags[@]}"
  echo "== sextant ($jar) on its embedded PostgreSQL, $mode (postmaster.opts: $(grep -o '\(fsync\|synchronous_commit\|full_page_writes\)=[a-z]*' "$data/pg/postmaster.opts" | tr '\n' ' '))"
  # the server JVM's CPU time (user + system) over the run, per HTTP request: a figure that depends far less on the
  # other load of a shared machine than requests per second do
  cpu0=$(awk '{print $14 + $15}' /proc/$pid/stat)
  "$JAVA_HOME/bin/java" benchmarks/Throughput.java "http://127.0.0.1:$port" "$secs" "$grow" | tee "$data/tp.out"
  cpu1=$(awk '{print $14 + $15}' /proc/$pid/stat)
  awk -v c=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" '/^requests:/ {printf "server JVM CPU: %.1f s for %d requests = %.2f ms/request\n", c / hz, $2, 1000 * c / hz / $2}' "$data/tp.out"
  kill $pid; wait $pid 2>/dev/null || true
  rm -rf "$data"
done
done
# SEXTANT_BENCH_PEER=none: no Optuna peer (for A/B runs of two Sextant builds while iterating; a figure meant for a
# target needs the peer in the same run)
[ "${SEXTANT_BENCH_PEER:-optuna}" = none ] && exit 0
echo "== load average before the peer: $(cut -d" " -f1-3 /proc/loadavg)"
echo "== peer: Optuna $(/usr/bin/python3 -c 'import optuna; print(optuna.__version__)') RDB storage on PostgreSQL $(pg_lsclusters -h | awk 'NR==1{print $1}')"
pg_lsclusters -h | awk 'NR==1{print $1, $2}' | { read v c; as_root pg_ctlcluster --skip-systemctl-redirect "$v" "$c" start 2>/dev/null || true; }
as_root su postgres -c "psql -qtc \"select 1 from pg_roles where rolname='bench'\" | grep -q 1 || psql -qc \"create role bench login password 'bench'\""
as_root su postgres -c "psql -qtc \"select 1 from pg_database where datname='optuna'\" | grep -q 1 || psql -qc 'create database optuna owner bench'"
OPTUNA_STORAGE=postgresql+psycopg2://bench:bench@127.0.0.1/optuna /usr/bin/python3 ../shared/peers/optuna_rdb.py
