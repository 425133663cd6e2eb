#!/usr/bin/env bash
# The man page lists exactly the options --help lists, and renders without
# a warning.
# Usage: check_man.sh PARSTEP MAN_PAGE
set -euo pipefail
parstep=$1 page=$2
source "$(dirname "$0")/options_of_help.sh"
fail() { echo "FAILED: $*" >&2; exit 1; }

# The option lines of the rendered OPTIONS section: "-j, --jobs N", "--shell PATH".
man_options=$(MANWIDTH=80 man -l "$page" 2>/dev/null | sed -n '/^OPTIONS$/,/^[A-Z]/p' |
  sed -nE 's/^       (-[[:alnum:]]), (--[[:alnum:]-]+).*/\1\n\2/p; s/^       (--[[:alnum:]-]+).*/\1/p' | sort)
help_options=$(options_of_help "$parstep")
[ -n "$help_options" ] || fail "--help lists no option"
if [ "$man_options" != "$help_options" ]; then
  diff <(echo "$help_options") <(echo "$man_options") | sed 's/^</  only in --help:/; s/^>/  only in the man page:/' >&2
  fail "--help and the man page list different options"
fi

warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
[ -z "$warnings" ] || fail "man --warnings: $warnings"
warnings=$(groff -man -ww -z "$page" 2>&1)
[ -z "$warnings" ] || fail "groff -ww: $warnings"
for section in NAME SYNOPSIS DESCRIPTION OPTIONS MANIFEST "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
  MANWIDTH=80 man -l "$page" 2>/dev/null | grep -qx "$section" || fail "no section $section"
done
echo "man page: $(echo "$man_options" | wc -l) option names, as in --help; no warnings"
