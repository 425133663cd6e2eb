#!/bin/sh
# One of check.sh's eight steps: `step.sh I`, run in STEP_DIR. Records the
# Slurm job it runs in (and parstep's index for it) and how many steps run at once (a directory per
# running step), prints a line, and exits as step I should. The first four
# wait until all four run, so that -j4 is reached whatever the load.
i=$1
d=$STEP_DIR
echo "${SLURM_JOB_ID:-none} $PARSTEP_INDEX" >"$d/job.$i"
mkdir "$d/running/$i"
ls "$d/running" | wc -l >"$d/width.$i"
if [ "$i" -lt 4 ]; then
  touch "$d/barrier.$i"
  tries=0
  while [ "$(ls "$d" | grep -c '^barrier\.')" -lt 4 ]; do
    tries=$((tries + 1))
    [ $tries -gt 3000 ] && { echo "step $i: the other three never came" >&2; exit 99; }
    sleep 0.05
  done
fi
rmdir "$d/running/$i"
echo "step $i out"
case $i in
  2) exit 3 ;;
  5) echo "step 5 warns" >&2; exit 5 ;;
esac
