# Sourced by check.sh: starts a private single-host Slurm cluster (munged,
# slurmctld, slurmd) under a directory, and stops it by PID.
#
#   slurm_cluster_start DIR CPUS   sets SLURM_CONF and SLURM_CLUSTER_PIDS;
#                                  returns 3 when the daemons cannot start
#   slurm_cluster_stop             stops the daemons it started
#
# Nothing outside DIR is touched: munged gets its own key and socket, the
# daemons their own config (through -f and SLURM_CONF), ports, state, spool
# and logs.

SLURM_CLUSTER_PIDS=()

_slurm_write_conf() {
  local dir=$1 cpus=$2 node port
  node=$(hostname -s)
  # Two ports near a number derived from our pid: unlikely to be taken.
  port=$(( 20000 + ($$ * 2) % 20000 ))
  cat >"$dir/slurm.conf" <<CONF
ClusterName=parstep
SlurmctldHost=$node
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/run/munge.socket.2
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
KillWait=2
InactiveLimit=0
MinJobAge=2
PlugStackConfig=$dir/plugstack.conf
NodeName=$node CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
  : >"$dir/plugstack.conf"
}

# munged insists on a key readable by its owner only, in a private
# directory, and a socket directory others may enter.
_slurm_start_munge() {
  local dir=$1
  mkdir -p "$dir/munge/etc" "$dir/munge/run" "$dir/munge/lib" "$dir/munge/log"
  chmod 0700 "$dir/munge/etc" "$dir/munge/lib" "$dir/munge/log"
  chmod 0755 "$dir/munge/run" "$dir/munge"
  dd if=/dev/urandom of="$dir/munge/etc/munge.key" bs=1024 count=1 status=none
  chmod 0400 "$dir/munge/etc/munge.key"
  munged --foreground --force --key-file="$dir/munge/etc/munge.key" \
    --socket="$dir/munge/run/munge.socket.2" --pid-file="$dir/munge/run/munged.pid" \
    --seed-file="$dir/munge/lib/munged.seed" --log-file="$dir/munge/log/munged.log" \
    >>"$dir/munge/log/munged.out" 2>&1 &
  SLURM_CLUSTER_PIDS+=($!)
}

# Polls (there is no event to wait for) until `sinfo` shows the node idle.
_slurm_wait_idle() {
  local dir=$1 deadline=$((SECONDS + 120))
  until [ "$(sinfo -h -o %T 2>/dev/null)" = idle ]; do
    if [ $SECONDS -ge $deadline ]; then
      echo "slurm: the node did not become idle within 120 s; logs:" >&2
      tail -n 20 "$dir"/*.log "$dir"/*.out "$dir/munge/log/munged.log" >&2
      return 1
    fi
    sleep 0.1
  done
}

slurm_cluster_start() {
  local dir=$1 cpus=$2
  for program in munged slurmctld slurmd srun squeue sinfo; do
    if ! command -v "$program" >/dev/null; then
      echo "slurm: $program is not installed" >&2
      return 3
    fi
  done
  if [ "$(id -u)" != 0 ]; then
    echo "slurm: the daemons need root" >&2
    return 3
  fi
  mkdir -p "$dir/state" "$dir/spool"
  _slurm_write_conf "$dir" "$cpus"
  export SLURM_CONF=$dir/slurm.conf
  _slurm_start_munge "$dir"
  slurmctld -D -i -f "$SLURM_CONF" >>"$dir/slurmctld.out" 2>&1 &
  SLURM_CLUSTER_PIDS+=($!)
  slurmd -D -f "$SLURM_CONF" >>"$dir/slurmd.out" 2>&1 &
  SLURM_CLUSTER_PIDS+=($!)
  _slurm_wait_idle "$dir"
}

# Polls until `pid` has exited (a zombie counts); false after 30 s.
_slurm_wait_gone() {
  local deadline=$((SECONDS + 30))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(ps -o stat= -p "$1" 2>/dev/null)" = "" ] && return 0
    case $(ps -o stat= -p "$1") in Z*) return 0 ;; esac
    sleep 0.05
  done
  return 1
}

# Last started, first stopped: the slurm daemons still talk to munged as
# they shut down.
slurm_cluster_stop() {
  local i pid
  for ((i = ${#SLURM_CLUSTER_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${SLURM_CLUSTER_PIDS[i]}
    kill -TERM "$pid" 2>/dev/null || true
    _slurm_wait_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  SLURM_CLUSTER_PIDS=()
}
