# Sourced by the checks in tests/docs: options_of_help PARSTEP prints every
# option name --help lists (-j, --jobs, ...), one a line, sorted.
options_of_help() {
  "$1" --help | sed -nE 's/^  (-[[:alnum:]]), (--[[:alnum:]-]+).*/\1\n\2/p; s/^      (--[[:alnum:]-]+).*/\1/p' | sort
}
