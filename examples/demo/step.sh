#!/bin/sh
# A stand-in for a build step: prints NAME's progress on stdout and stderr,
# a line every 0.1 s, and fails at the end when asked.
# Usage: step.sh NAME LINES [fail]
name=$1 lines=$2 i=1
while [ "$i" -le "$lines" ]; do
  echo "[$name] working on part $i of $lines"
  [ $((i % 2)) -eq 0 ] && echo "[$name] warning: part $i is slow" >&2
  sleep 0.1
  i=$((i + 1))
done
if [ "${3:-}" = fail ]; then
  echo "[$name] error: part $lines is broken" >&2
  exit 1
fi
echo "[$name] done"
