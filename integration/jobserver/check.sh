#!/usr/bin/env bash
# The GNU make jobserver scenarios of SPEC 6 with the real make.
# Usage: check.sh SCENARIO PARSTEP WORKDIR
#   make-client   parstep as '+' recipes in make -j3: at most 3 jobs in all
#   parstep-server parstep -j3 --jobserver around nested makes: at most 3
#   tokens-back   a halted parstep inside make returns its tokens
#   ninja-client  ninja 1.13 ($NINJA) under parstep -j3 --jobserver (auto):
#                 one ninja next to a short step reaches 3; two ninjas
#                 together never exceed 3 and reach 3
#   dead-jobserver a step under a dead jobserver sees no --jobserver-auth
#   make-dry-run  make -n with a '+parstep' recipe runs nothing
#   cmake-makefiles  $CMAKE (4.3.1 from npm, or the system's) builds 6
#                 parstep steps and 6 plain custom commands with -j3 under
#                 Unix Makefiles: no warning; with CMake >= 3.28 at most 3
#                 at once ($PREFIX: the installed package)
#   cmake-ninja   README's 'parstep -j2 --jobserver -- "cmake --build TREE"'
#                 on a Ninja tree ($NINJA: 1.13.2), with make 4.3 on PATH
#                 (--jobserver-style auto): at most 2, reaching 2; and SPEC
#                 6's 'cmake --build ninja-tree' beside 'make -C make-tree':
#                 at most 3 in all
#   own-pool      parstep as a client of a pool made here (not make's, not
#                 parstep's), in the fifo and in the descriptor form: at most
#                 3 at once, every token back afterwards
set -euo pipefail
scenario=$1 parstep=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
job=$here/job.sh
fail() { echo "FAILED: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work"

# Most jobs running at once in LOG, from its S/E lines.
max_concurrency() {
  sort -k2,2n "$1" | awk '$1 == "S" {n++; if (n > m) m = n} $1 == "E" {n--} END {print m + 0}'
}
expect_between() {  # LOG LOW HIGH
  local m
  m=$(max_concurrency "$1")
  echo "$scenario: $(grep -c S "$1") jobs, at most $m at once"
  [ "$m" -ge "$2" ] && [ "$m" -le "$3" ] || fail "$m jobs ran at once in $1; expected $2 to $3"
}

case $scenario in
make-client)
  cat > Makefile <<MK
all: p1 p2
p1 p2:
	+@$parstep --no-header '$job $work/log' '$job $work/log' '$job $work/log' '$job $work/log' '$job $work/log'
MK
  make -j3 > make.out 2>&1 || { cat make.out; fail "make"; }
  ! grep -q INTERNAL make.out || { cat make.out; fail "make counted its tokens wrong"; }
  expect_between log 2 3
  ;;
parstep-server)
  for m in a b; do
    targets=$(echo ${m}{1..6})
    printf 'all: %s\n%s:\n\t@%s %s/log\n' "$targets" "$targets" "$job" "$work" > $m.mk
  done
  "$parstep" -j3 --jobserver --no-header 'make -f a.mk' 'make -f b.mk' > parstep.out 2>&1 ||
    { cat parstep.out; fail "parstep"; }
  ! grep -qi "jobserver" parstep.out || { cat parstep.out; fail "a nested make complained about the jobserver"; }
  expect_between log 2 3
  ;;
tokens-back)
  cat > Makefile <<MK
all: phase2
phase1:
	-+@$parstep -x 'sleep 0.2; exit 1' 'sleep 5' 'sleep 5' 'sleep 5'
phase2: phase1
	+@$parstep --no-header '$job $work/log' '$job $work/log' '$job $work/log' '$job $work/log' '$job $work/log' '$job $work/log'
MK
  make -j3 > make.out 2>&1 || { cat make.out; fail "make"; }
  ! grep -q INTERNAL make.out || { cat make.out; fail "make counted its tokens wrong"; }
  grep -q "Error 1 (ignored)" make.out || { cat make.out; fail "phase 1 did not fail as planned"; }
  expect_between log 3 3  # every token came back: phase 2 runs 3 at once
  ;;
ninja-client)
  for d in d1 d2; do
    mkdir -p $d
    { echo 'rule job'; echo "  command = $job $work/log-$d && touch \$out"
      for i in 1 2 3 4 5 6; do echo "build o$i: job"; done; } > $d/build.ninja
  done
  "$parstep" -j3 --jobserver --no-header 'sleep 0.2' "$NINJA -C d1" > one.out 2>&1 || { cat one.out; fail "parstep"; }
  grep -q "Jobserver mode detected" one.out || { cat one.out; fail "ninja did not join the jobserver"; }
  cp log-d1 log; expect_between log 3 3
  rm -f log log-d1 d1/o* d1/.ninja_*
  "$parstep" -j3 --jobserver --no-header "$NINJA -C d1" "$NINJA -C d2" > two.out 2>&1 || { cat two.out; fail "parstep"; }
  cat log-d1 log-d2 > log; expect_between log 3 3
  ;;
dead-jobserver)
  MAKEFLAGS=" -j2 --jobserver-auth=97,98" "$parstep" --no-header 'echo "[$MAKEFLAGS]"' > out 2> err
  [ "$(cat out)" = "[]" ] || fail "the step saw MAKEFLAGS=$(cat out)"
  grep -q "unusable" err || fail "no note on stderr"
  ;;
make-dry-run)
  printf 'all:\n\t+%s "touch %s/ran"\n' "$parstep" "$work" > Makefile
  make -n > make.out 2>&1 || { cat make.out; fail "make -n"; }
  [ ! -e ran ] || fail "make -n ran the step"
  grep -q "==> touch $work/ran" make.out || { cat make.out; fail "no dry run printed"; }
  ;;
cmake-makefiles)
  steps="" plain=""
  for i in 1 2 3 4 5 6; do
    steps="$steps STEP s$i COMMAND $job $work/log"
    plain="${plain}add_custom_target(plain$i ALL COMMAND $job $work/log)"$'\n'
  done
  printf 'cmake_minimum_required(VERSION 3.21)\nproject(mix NONE)\nfind_package(ParStep REQUIRED)\nparstep_add_target(ps ALL%s)\n%s' \
    "$steps" "$plain" > CMakeLists.txt
  "$CMAKE" -S . -B b -G "Unix Makefiles" -DCMAKE_PREFIX_PATH="$PREFIX" > configure.out 2>&1 || { cat configure.out; fail "configure"; }
  "$CMAKE" --build b -j3 > build.out 2>&1 || { cat build.out; fail "build"; }
  ! grep -i "warning" configure.out build.out || fail "a warning in the logs"
  [ "$(grep -c S log)" = 12 ] || fail "$(grep -c S log) of 12 jobs ran"
  version=$("$CMAKE" --version | head -1 | awk '{print $3}')
  if [ "$(printf '%s\n3.28\n' "$version" | sort -V | head -1)" = 3.28 ]; then
    expect_between log 2 3
  else
    echo "$scenario: CMake $version cannot mark the target JOB_SERVER_AWARE: at most $(max_concurrency log) at once, no warning"
  fi
  ;;
cmake-ninja)
  mkdir -p src mk
  { echo 'cmake_minimum_required(VERSION 3.21)'; echo 'project(jobs NONE)'
    for i in 1 2 3 4 5 6; do echo "add_custom_target(t$i ALL COMMAND $job $work/log)"; done; } > src/CMakeLists.txt
  cmake -S src -B tree -G Ninja -DCMAKE_MAKE_PROGRAM="$NINJA" > configure.out 2>&1 || { cat configure.out; fail "configure"; }
  # -j2: ninja alone runs CPUs + 1 (3 on 2 CPUs), so 2 shows the limit.
  "$parstep" -j2 --jobserver --no-header 'cmake --build tree' > one.out 2>&1 || { cat one.out; fail "parstep"; }
  grep -q "Jobserver mode detected" one.out || { cat one.out; fail "ninja did not join the jobserver"; }
  expect_between log 2 2
  rm -f log; cmake --build tree --target clean > /dev/null
  targets=$(echo m{1..6})
  printf 'all: %s\n%s:\n\t@%s %s/log\n' "$targets" "$targets" "$job" "$work" > mk/Makefile
  "$parstep" -j3 --jobserver --no-header 'cmake --build tree' 'make -C mk' > two.out 2>&1 || { cat two.out; fail "parstep"; }
  ! grep -qi "warning" two.out || { cat two.out; fail "a warning from make or ninja"; }
  [ "$(grep -c S log)" = 12 ] || fail "$(grep -c S log) of 12 jobs ran"
  expect_between log 2 3
  ;;
own-pool)
  mkfifo pool
  exec 3<>pool  # this script holds the pool open, as make would
  for form in "fifo:$work/pool" "3,3"; do
    printf '++' >&3  # 3 slots: the implicit one and two tokens
    rm -f log
    MAKEFLAGS=" -j3 --jobserver-auth=$form" "$parstep" --no-header \
      "$job $work/log" "$job $work/log" "$job $work/log" "$job $work/log" "$job $work/log" "$job $work/log" > out 2>&1 ||
      { cat out; fail "parstep ($form)"; }
    ! grep -q "unusable" out || { cat out; fail "parstep did not use the pool ($form)"; }
    expect_between log 2 3
    back=$(python3 -c 'import os; fd = os.open("pool", os.O_RDONLY | os.O_NONBLOCK); print(len(os.read(fd, 64)))')
    [ "$back" = 2 ] || fail "$back of 2 tokens came back ($form)"
  done
  ;;
*) fail "unknown scenario $scenario" ;;
esac
