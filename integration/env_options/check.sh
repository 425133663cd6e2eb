#!/usr/bin/env bash
# PARSTEP_OPTIONS changes a CMake target's run without editing the project
# (SPEC 1), and the target's own options (its command line) win.
# Usage: check.sh BUILD_DIR PREFIX
set -euo pipefail
build=$1 prefix=$2
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAILED: $*" >&2; exit 1; }
jobs_of() { sed -nE 's/^  "jobs": ([0-9]+),$/\1/p' "$build/$1.json"; }

rm -rf "$build"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
# One CPU for parstep's default -j, so that -j2 from the environment shows.
unset PARSTEP_OPTIONS
taskset -c 0 cmake --build "$build" >"$build/without.log" 2>&1 || { cat "$build/without.log"; fail "build without"; }
grep -q '^plain-output-1$' "$build/without.log" || fail "without PARSTEP_OPTIONS the output is missing"
[ "$(jobs_of plain)" = 1 ] || fail "without PARSTEP_OPTIONS, plain ran with -j$(jobs_of plain), expected 1"

PARSTEP_OPTIONS='--output-on-failure -j2' taskset -c 0 cmake --build "$build" >"$build/with.log" 2>&1 ||
  { cat "$build/with.log"; fail "build with"; }
if grep -q 'output-' "$build/with.log"; then cat "$build/with.log"; fail "--output-on-failure from PARSTEP_OPTIONS was not applied"; fi
grep -q '^==> first (ok, ' "$build/with.log" || { cat "$build/with.log"; fail "no header of the step 'first'"; }
[ "$(jobs_of plain)" = 2 ] || fail "with PARSTEP_OPTIONS=-j2, plain ran with -j$(jobs_of plain)"
[ "$(jobs_of pinned)" = 3 ] || fail "the target's JOBS 3 did not win over PARSTEP_OPTIONS: -j$(jobs_of pinned)"

if PARSTEP_OPTIONS='--bogus' cmake --build "$build" >"$build/bogus.log" 2>&1; then fail "the build with --bogus succeeded"; fi
grep -q "^parstep: error: PARSTEP_OPTIONS: option 'bogus' does not exist" "$build/bogus.log" ||
  { cat "$build/bogus.log"; fail "no error naming PARSTEP_OPTIONS"; }
echo "PARSTEP_OPTIONS: applied to the CMake targets (output hidden, -j2), JOBS won, --bogus named"
