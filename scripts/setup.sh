# Sourced by scripts/demo and scripts/test: makes sure the build
# dependencies are installed. As root it installs what is missing with
# apt-get; otherwise it prints the exact command and stops.

# scdoc renders the man page.
PARSTEP_PACKAGES=(cmake ninja-build g++ make libgtest-dev libgmock-dev nlohmann-json3-dev libcxxopts-dev scdoc)
# scripts/test also fuzzes with clang's libFuzzer, checks the man page
# (man-db, groff-base) and the completions in bash, zsh and fish, and
# builds the Debian package (dpkg-dev for dpkg-shlibdeps, file); python3
# runs the Python module's tests; slurm and munge run steps through srun on
# a private cluster (integration/slurm); npm fetches ninja 1.13.2 and
# CMake 4.3.1 into the build tree (scripts/tools.sh; npm is not in this
# list: it often comes with the machine's Node.js, which conflicts with
# Debian's npm package, see parstep_ensure_npm); xmllint (libxml2-utils)
# validates the JUnit files against tests/junit.xsd.
PARSTEP_TEST_PACKAGES=(clang libclang-rt-14-dev python3 man-db groff-base bash-completion zsh fish dpkg-dev file
  slurmctld slurmd slurm-client munge libxml2-utils)

parstep_missing_packages() {
  local p
  command -v dpkg-query >/dev/null || return 0  # not Debian: trust the user's setup
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

# Usage: parstep_ensure_dependencies [extra packages...]
parstep_ensure_dependencies() {
  local missing
  missing=$(parstep_missing_packages "${PARSTEP_PACKAGES[@]}" "$@" | tr '\n' ' ')
  [ -z "${missing// /}" ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "parstep: installing build dependencies: $missing" >&2
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "parstep: missing build dependencies; install them with:" >&2
    echo "  sudo apt-get install -y $missing" >&2
    exit 1
  fi
}

# npm for scripts/tools.sh: the machine's own (Node.js packages bring it),
# else Debian's npm package when root can install it. Without npm the tests
# that need ninja 1.13.2 and CMake 4.3.1 skip with a note.
parstep_ensure_npm() {
  command -v npm >/dev/null && return 0
  [ "$(id -u)" = 0 ] || return 0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null 2>&1 ||
    echo "parstep: note: npm could not be installed; the ninja 1.13.2 and CMake 4.3.1 tests will skip" >&2
}
