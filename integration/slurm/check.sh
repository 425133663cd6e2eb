#!/usr/bin/env bash
# parstep through srun on a real single-host Slurm cluster (SPEC 9), started
# for this test and stopped by PID on every way out:
#   1. eight steps at -j4 run as Slurm jobs, never more than four at once,
#      with the exit codes and output they have locally;
#   2. -x: a failing step stops its sleeping siblings; the queue empties;
#   3. SIGINT to parstep likewise;
#   4. --timeout kills the remote sleep.
# Usage: check.sh PARSTEP WORKDIR. Exit 77 (skip) only when the daemons
# cannot start here: not root, or Slurm or munge not installed.
set -euo pipefail
parstep=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/cluster.sh"

launcher='srun --quiet --ntasks=1 --'
rm -rf "$work"
mkdir -p "$work"
# Short, as munged's socket path must fit in 108 bytes.
cluster=$(mktemp -d /tmp/parstep-slurm.XXXXXX)
parstep_pid=
cleanup() {
  [ -n "$parstep_pid" ] && kill -KILL "$parstep_pid" 2>/dev/null
  # On a failure, jobs may remain: slurmd's step daemons outlive slurmd.
  [ -n "${SLURM_CONF:-}" ] && scancel --quiet --full --user="$(id -un)" 2>/dev/null
  slurm_cluster_stop
  mkdir -p "$work/cluster"
  cp "$cluster"/*.log "$cluster"/*.out "$cluster/slurm.conf" "$work/cluster/" 2>/dev/null || true
  rm -rf "$cluster"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
now() { date +%s.%N; }
seconds_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
node=$(hostname -s)

# Polls (no event tells us) until squeue lists no job; prints when.
wait_queue_empty() {
  local deadline=$((SECONDS + 60))
  while [ -n "$(squeue -h -o %i)" ]; do
    [ $SECONDS -lt $deadline ] || fail "squeue still lists jobs after 60 s: $(squeue -h)"
    sleep 0.02
  done
  now
}

# Polls until `count` files match `dir/prefix*`.
wait_files() {
  local dir=$1 prefix=$2 count=$3 deadline=$((SECONDS + 120))
  while [ "$(ls "$dir" | grep -c "^$prefix")" -lt "$count" ]; do
    [ $SECONDS -lt $deadline ] || fail "only $(ls "$dir" | grep -c "^$prefix") of $count $prefix files after 120 s"
    sleep 0.02
  done
}

no_process_left() {
  local left
  left=$(pgrep -f "(^|/)sleep $1\$" || true)
  [ -z "$left" ] || fail "$2: sleep $1 still runs: pids $left"
}

t0=$(now)
status=0
slurm_cluster_start "$cluster" 8 || status=$?
if [ $status = 3 ]; then
  echo "SKIP: a private Slurm cluster cannot start here (see the line above)"
  exit 77
fi
[ $status = 0 ] || fail "the private Slurm cluster did not start"
echo "cluster up in $(seconds_between "$t0" "$(now)") s (SLURM_CONF=$SLURM_CONF)"

# --- 1. eight steps at -j4 -------------------------------------------------
eight() {  # eight DIR [parstep options]: runs the eight steps with STEP_DIR=DIR
  local dir=$1
  shift
  rm -rf "$dir"
  mkdir -p "$dir/running"
  STEP_DIR=$dir "$parstep" -j4 -o ordered --no-header --report "$dir.json" "$@" \
    "$here/step.sh 0" "$here/step.sh 1" "$here/step.sh 2" "$here/step.sh 3" \
    "$here/step.sh 4" "$here/step.sh 5" "$here/step.sh 6" "$here/step.sh 7" \
    >"$dir.out" 2>"$dir.err" || echo $? >"$dir.status"
}
# Each step's status and exit code, in the given order, from a report.
outcomes() { grep -E '^      "(exit_code|status)"' "$1"; }

eight "$work/local"
expected_local=""
for i in 0 1 2 3 4 5 6 7; do
  expected_local+="step $i out"$'\n'
  [ $i = 5 ] && expected_local+="step 5 warns"$'\n'
done
[ "$(cat "$work/local.status")" = 1 ] || fail "local run: exit $(cat "$work/local.status"), expected 1"
[ "$(cat "$work/local.out")"$'\n' = "$expected_local" ] || fail "local run printed: $(cat "$work/local.out")"
[ "$(outcomes "$work/local.json" | tr -d ' ,\n')" = \
  "$(printf '"exit_code":%s"status":"%s"' 0 ok 0 ok 3 failed 0 ok 0 ok 5 failed 0 ok 0 ok)" ] ||
  fail "local run: steps ended as $(outcomes "$work/local.json")"

# Jobs in flight as squeue shows them, every 20 ms while the steps run.
: >"$work/inflight"
(
  while [ ! -e "$work/slurm.done" ]; do
    squeue -h -o %i | wc -l >>"$work/inflight"
    sleep 0.02
  done
) &
poller=$!
t0=$(now)
eight "$work/slurm" --launcher "$launcher"
t1=$(now)
touch "$work/slurm.done"
wait $poller

# srun adds one line of its own for a task that failed, even with --quiet,
# inside that step's block; whether before or after the task's own stderr
# is srun's race, not parstep's: "step 5 warns" and srun's line for step 5
# come in either order.
[ "$(cat "$work/slurm.status")" = 1 ] || fail "through srun: exit $(cat "$work/slurm.status"), expected 1"
[ "$(grep -v '^srun: error: ' "$work/slurm.out")"$'\n' = "$expected_local" ] ||
  fail "through srun, printed: $(cat "$work/slurm.out")"
srun_line() {  # EXIT-CODE FIRST-LINE-OF-ITS-BLOCK FIRST-LINE-OF-THE-NEXT
  awk -v line="srun: error: $node: task 0: Exited with exit code $1" -v from="$2" -v to="$3" '
    $0 == from {inside = 1} $0 == to {inside = 0} $0 == line {n++; if (!inside) bad = 1}
    END {exit !(n == 1 && !bad)}' "$work/slurm.out" ||
    fail "through srun: srun's line for exit $1 is not once inside its step's block: $(cat "$work/slurm.out")"
}
srun_line 3 "step 2 out" "step 3 out"
srun_line 5 "step 5 out" "step 6 out"
[ "$(grep -c '^srun: error: ' "$work/slurm.out")" = 2 ] || fail "through srun: other srun lines: $(cat "$work/slurm.out")"
[ "$(outcomes "$work/slurm.json")" = "$(outcomes "$work/local.json")" ] ||
  fail "through srun, steps ended as $(outcomes "$work/slurm.json")"
# Eight distinct jobs, and PARSTEP_INDEX came through srun's environment.
for i in 0 1 2 3 4 5 6 7; do
  grep -qx "[0-9][0-9]* $i" "$work/slurm/job.$i" || fail "step $i ran as: $(cat "$work/slurm/job.$i")"
done
[ "$(cut -d' ' -f1 "$work"/slurm/job.* | sort -u | wc -l)" = 8 ] || fail "not 8 jobs: $(cat "$work"/slurm/job.*)"
width=$(cat "$work"/slurm/width.* | sort -n | tail -1)
inflight=$(sort -n "$work/inflight" | tail -1)
[ "$width" = 4 ] || fail "at most $width steps ran at once, expected 4"
[ "$inflight" -le 4 ] || fail "squeue listed $inflight jobs at once at -j4"
echo "eight steps through srun at -j4: 8 distinct jobs; at most $width steps at once (seen by the steps)," \
  "at most $inflight jobs in squeue ($(wc -l <"$work/inflight") polls); $(seconds_between "$t0" "$t1") s"
wait_queue_empty >/dev/null

# --- 2. -x: a failure stops the siblings ------------------------------------
mark=61.$$
mkdir -p "$work/halt"
t0=$(now)
status=0
"$parstep" -j4 -x --launcher "$launcher" \
  "touch $work/halt/up.1; exec sleep $mark" "touch $work/halt/up.2; exec sleep $mark" \
  "touch $work/halt/up.3; exec sleep $mark" \
  "while [ \$(ls $work/halt | grep -c '^up') -lt 3 ]; do sleep 0.02; done; date +%s.%N > $work/halt/failed; exit 1" \
  >"$work/halt.out" 2>"$work/halt.err" || status=$?
t_exit=$(now)
t_empty=$(wait_queue_empty)
[ $status = 1 ] || fail "-x: exit $status, expected 1"
no_process_left "$mark" "-x"
failed=$(cat "$work/halt/failed")
echo "-x through srun: exit 1 $(seconds_between "$failed" "$t_exit") s after the failure;" \
  "squeue empty $(seconds_between "$failed" "$t_empty") s after it"

# --- 3. SIGINT to parstep ---------------------------------------------------
mark=62.$$
mkdir -p "$work/int"
set -m  # a background job that does not ignore SIGINT
"$parstep" -j4 --launcher "$launcher" \
  "touch $work/int/up.1; exec sleep $mark" "touch $work/int/up.2; exec sleep $mark" \
  "touch $work/int/up.3; exec sleep $mark" "touch $work/int/up.4; exec sleep $mark" \
  >"$work/int.out" 2>"$work/int.err" &
parstep_pid=$!
set +m
wait_files "$work/int" up 4
t_int=$(now)
kill -INT "$parstep_pid"
status=0
wait "$parstep_pid" || status=$?
parstep_pid=
t_exit=$(now)
t_empty=$(wait_queue_empty)
[ $status = 130 ] || fail "SIGINT: parstep ended with $status, expected 130 (killed by SIGINT)"
no_process_left "$mark" "SIGINT"
echo "SIGINT through srun: parstep gone $(seconds_between "$t_int" "$t_exit") s after the signal;" \
  "squeue empty $(seconds_between "$t_int" "$t_empty") s after it"

# --- 4. --timeout -------------------------------------------------------------
mark=63.$$
mkdir -p "$work/timeout"
status=0
"$parstep" --timeout 5 --launcher "$launcher" --report "$work/timeout.json" \
  "touch $work/timeout/up; exec sleep $mark" >"$work/timeout.out" 2>"$work/timeout.err" || status=$?
t_empty=$(wait_queue_empty)
[ $status = 1 ] || fail "--timeout: exit $status, expected 1"
[ -e "$work/timeout/up" ] || fail "--timeout: the remote step never started"
grep -q '"status": "timed_out"' "$work/timeout.json" || fail "--timeout: report: $(cat "$work/timeout.json")"
no_process_left "$mark" "--timeout"
echo "--timeout 5 through srun: timed_out, the remote sleep gone, squeue empty"
echo "PASS"
