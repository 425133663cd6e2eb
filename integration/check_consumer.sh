#!/usr/bin/env bash
# Configures, builds and checks integration/consumer.
# Usage: check_consumer.sh install|subdir GENERATOR BUILD_DIR PARSTEP_SOURCE [PREFIX]
# $CMAKE: the cmake to use (default: the one on PATH), e.g. 4.3.1 from npm.
set -euo pipefail
cmake() { if [ -n "${CMAKE:-}" ]; then "$CMAKE" "$@"; else command cmake "$@"; fi; }
mode=$1 generator=$2 build=$3 source=$4 prefix=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
mark="3000.$$${RANDOM}"  # a sleep no other process runs: found again in /proc
fail() { echo "FAILED: $*" >&2; exit 1; }

rm -rf "$build"
mkdir -p "$build"
echo input-1 > "$build/input.txt"
args=(-S "$here/consumer" -B "$build" -G "$generator" -DSLEEP_MARK="$mark")
case $mode in
  install) args+=(-DCMAKE_PREFIX_PATH="$prefix") ;;
  subdir) args+=(-DPARSTEP_SOURCE_DIR="$source") ;;
  *) fail "unknown mode $mode" ;;
esac
if [ "$generator" = "Ninja Multi-Config" ]; then
  configs=(Debug Release)
else
  configs=(Release)
  args+=(-DCMAKE_BUILD_TYPE=Release)
fi
cmake "${args[@]}" >"$build/configure.txt" 2>&1 || { cat "$build/configure.txt"; fail "configure"; }
if grep -i "warning" "$build/configure.txt"; then fail "CMake warned while configuring"; fi

expect_file() {  # FILE EXPECTED-CONTENT
  [ -f "$1" ] || fail "$1 was not written"
  [ "$(cat "$1"; echo x)" = "$2x" ] || fail "$1 holds $(od -c "$1" | head -5), expected: $2"
}

for config in "${configs[@]}"; do
  cmake --build "$build" --config "$config" >"$build/log-$config.txt" 2>&1 || { cat "$build/log-$config.txt"; fail "build $config"; }
  # No compiler warnings from parstep's sources (subdir builds them at -O3
  # and -O0) and no jobserver note from parstep.
  if grep -i "warning" "$build/log-$config.txt"; then fail "warnings in the build log of $config"; fi
  out=$build/out
  expect_file "$out/sh-$config.txt" "[a b][\"q\"]['s'][\$HOME][#hash][*][back\\slash][semi;colon][][new
line][tab	here][\${x}][ünï]"
  expect_file "$out/gen-$config.txt" '[a b]["q"][back\slash][semi;colon][][trailing\][next][[][un]balanced][]][plain;semi][][[[x]]][\;][last]'
  expect_file "$out/genex-bytes-$config.txt" "[q\"u\\o][$config\\][[][a;b][][\\\"]"
  short=opt; [ "$config" = Debug ] && short=dbg
  expect_file "$out/launched-$config.txt" '[a "b" \c]'
  expect_file "$out/genex-$config.txt" "[$config][gen][$short]"
  grep -q '<testcase name="config" classname="parstep"' "$out/junit-$config.xml" ||
    fail "JUNIT did not write $out/junit-$config.xml with the step"
  expect_file "$out/pty-$config.txt" $'terminal\n'
  expect_file "$out/stamp-$config.txt" $'input-1\n'
  expect_file "$out/runs-$config.txt" $'run\n'

  # A second build does not rerun the command; a changed input does.
  cmake --build "$build" --config "$config" --target stamp >/dev/null
  expect_file "$out/runs-$config.txt" $'run\n'
  sleep 1.1  # make's timestamps are whole seconds on some filesystems
  echo input-2 > "$build/input.txt"
  cmake --build "$build" --config "$config" --target stamp >/dev/null
  expect_file "$out/stamp-$config.txt" $'input-2\n'
  expect_file "$out/runs-$config.txt" $'run\nrun\n'
  echo input-1 > "$build/input.txt"
  sleep 1.1

  # HALT_ON_ERROR: the build fails long before the 3000 s sleep would end
  # (the bound is a hang guard for a loaded machine, not a speed check).
  start=$(date +%s%N)
  if cmake --build "$build" --config "$config" --target halting >"$build/halt-$config.txt" 2>&1; then
    fail "the halting target succeeded"
  fi
  elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  [ "$elapsed_ms" -lt 300000 ] || fail "halting took ${elapsed_ms} ms"
  grep -q "boom-output" "$build/halt-$config.txt" || fail "the failing step's output is not in the build log"
  grep -q "boom: exit 3" "$build/halt-$config.txt" || fail "the summary is not in the build log"
  if pgrep -f "sleep $mark" >/dev/null; then fail "sleep $mark was left running"; fi
  echo "$config: halted in ${elapsed_ms} ms"

  # A history by default in the binary directory (one per configuration); NO_HISTORY keeps none.
  cmake --build "$build" --config "$config" --target learned >/dev/null
  history=$(find "$build" -name "learned*${config}.history.json" | head -1)
  [ -n "$history" ] || fail "no history for the learned target"
  grep -q '"last": "ok"' "$history" || fail "$history records no step: $(cat "$history")"
  cmake --build "$build" --config "$config" --target unlearned >/dev/null
  [ -z "$(find "$build" -name 'unlearned*.history.json')" ] || fail "NO_HISTORY kept a history"
done

# USES_TERMINAL and JOB_POOL reach build.ninja.
if [[ "$generator" == Ninja* ]]; then
  ninja_files=$(find "$build" -maxdepth 3 -name '*.ninja')
  # shellcheck disable=SC2086
  awk '/^build .*interactive/ {hit=1} hit && /pool = console/ {found=1} /^$/ {hit=0} END {exit !found}' $ninja_files ||
    fail "USES_TERMINAL did not put 'interactive' in the console pool"
  # shellcheck disable=SC2086
  awk '/^build .*pooled/ {hit=1} hit && /pool = parstep_pool/ {found=1} /^$/ {hit=0} END {exit !found}' $ninja_files ||
    fail "JOB_POOL did not put 'pooled' in parstep_pool"
fi
echo "consumer $mode / $generator: all checks passed"
