#!/usr/bin/env bash
# A throw-away single-node Slurm cluster in one directory, for trying Sextant's Slurm executors and for the test
# suite (SlurmArrayTest). Runs as root; needs no systemd and touches nothing outside DIR except the packages.
#
#   deploy/slurm/local-cluster.sh start DIR [--cpus N] [--port P]   install slurm-wlm/munge if missing, start munged,
#                                                                   slurmctld and slurmd; prints export SLURM_CONF=...
#   deploy/slurm/local-cluster.sh stop DIR                          stop the three daemons by the PIDs in their files
#
# DIR gets: slurm.conf, its own munge key and munged socket (AuthInfo=socket=...), state and spool directories, logs.
# Point every Slurm command at it with SLURM_CONF=DIR/slurm.conf. --cpus (default 8) is how many CPUs the node
# declares (SlurmdParameters=config_overrides lets it claim more than the machine has, so a few light executor tasks
# run side by side on a small machine); --port (default 6817) is slurmctld's port, slurmd takes the next one.
# The node has no GPUs (no gres.conf): a GPU request is refused by sbatch.
set -euo pipefail

die() { echo "local-cluster: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (the daemons run as root, munged as the user munge)"
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 start DIR [--cpus N] [--port P] | stop DIR"
shift 2

stop_pid_file() { # NAME FILE: SIGTERM the process in FILE, wait up to 10 s, then SIGKILL
  local name=$1 file=$2 pid i
  [ -s "$file" ] || return 0
  pid=$(cat "$file")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "local-cluster: $name (pid $pid) ignored SIGTERM, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$file"
}

if [ "$cmd" = stop ]; then
  [ -d "$dir" ] || exit 0
  stop_pid_file slurmd "$dir/slurmd.pid"
  stop_pid_file slurmctld "$dir/slurmctld.pid"
  stop_pid_file munged "$dir/munge/munged.pid"
  exit 0
fi
[ "$cmd" = start ] || die "unknown command '$cmd' (start or stop)"

cpus=8
port=6817
while [ $# -gt 0 ]; do
  case "$1" in
    --cpus) cpus=${2:?--cpus needs a number}; shift 2 ;;
    --port) port=${2:?--port needs a number}; shift 2 ;;
    *) die "unknown option '$1'" ;;
  esac
done
[[ "$cpus" =~ ^[1-9][0-9]*$ ]] || die "--cpus must be a whole number >= 1 (got '$cpus')"
[[ "$port" =~ ^[1-9][0-9]*$ ]] && [ "$port" -lt 65535 ] || die "--port must be a TCP port (got '$port')"

# ------------------------------------------------------------------ packages
if [ ! -x /usr/sbin/slurmctld ] || [ ! -x /usr/sbin/slurmd ] || ! command -v sbatch >/dev/null || [ ! -x /usr/sbin/munged ]; then
  echo "local-cluster: installing slurm-wlm and munge (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q slurm-wlm munge >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1; apt-get install -y -q slurm-wlm munge >/dev/null; } \
    || die "could not install slurm-wlm and munge"
fi
getent passwd munge >/dev/null || die "the user munge does not exist (the munge package creates it)"

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# munged (user munge) must reach its socket directory, and Slurm's commands the socket: traverse only, no listing
chmod 711 "$dir"
su -s /bin/sh munge -c "test -x '$dir'" \
  || die "munged runs as the user munge and cannot reach $dir: let others traverse its parent directories (chmod o+x) or pick another DIR"
host=$(hostname -s)

# ------------------------------------------------------------------ munge: its own key and socket
mkdir -p "$dir/munge" "$dir/munge-run"
chown munge:munge "$dir/munge" "$dir/munge-run"
chmod 700 "$dir/munge"
chmod 755 "$dir/munge-run" # munged requires execute permission for all on the socket's directory
if [ ! -s "$dir/munge/munge.key" ]; then
  head -c 1024 /dev/urandom > "$dir/munge/munge.key"
  chown munge:munge "$dir/munge/munge.key"
  chmod 400 "$dir/munge/munge.key"
fi
socket="$dir/munge-run/munge.socket"
su -s /bin/sh munge -c "/usr/sbin/munged --socket='$socket' --key-file='$dir/munge/munge.key' \
  --pid-file='$dir/munge/munged.pid' --log-file='$dir/munge/munged.log' --seed-file='$dir/munge/munged.seed'" \
  || die "munged did not start: $(tail -3 "$dir/munge/munged.log" 2>/dev/null)"
munge -S "$socket" -n | unmunge -S "$socket" >/dev/null || die "munge does not work: see $dir/munge/munged.log"

# ------------------------------------------------------------------ slurm.conf
mkdir -p "$dir/state" "$dir/spool" "$dir/log"
cat > "$dir/slurm.conf" <<EOF
# written by deploy/slurm/local-cluster.sh: a single-node cluster for tests
ClusterName=sextant-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
ReturnToService=2
MinJobAge=600
KillWait=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=4096 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$dir/slurm.conf"

/usr/sbin/slurmctld -f "$SLURM_CONF" || die "slurmctld did not start: $(tail -5 "$dir/log/slurmctld.log" 2>/dev/null)"
/usr/sbin/slurmd -f "$SLURM_CONF" || die "slurmd did not start: $(tail -5 "$dir/log/slurmd.log" 2>/dev/null)"
for i in $(seq 1 300); do
  state=$(sinfo -h -N -o '%T' 2>/dev/null | head -1 || true)
  case "$state" in idle|mixed|allocated) break ;; esac
  sleep 0.2
done
case "${state:-}" in
  idle|mixed|allocated) ;;
  *) die "node $host is '${state:-unknown}' after 60 s; see $dir/log/slurmctld.log and $dir/log/slurmd.log" ;;
esac
echo "export SLURM_CONF=$SLURM_CONF"
