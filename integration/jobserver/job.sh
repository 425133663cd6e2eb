#!/bin/sh
# A job that records when it runs: appends "S <ns>" and "E <ns>" to LOG
# (short appends are atomic), holding its slot for SECONDS in between.
# Usage: job.sh LOG [SECONDS]
echo "S $(date +%s%N)" >> "$1"
sleep "${2:-0.3}"
echo "E $(date +%s%N)" >> "$1"
