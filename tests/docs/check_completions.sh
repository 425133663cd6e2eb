#!/usr/bin/env bash
# The bash, zsh and fish completions offer exactly the options --help lists,
# and the right values after them. bash and fish are asked for real
# completions; zsh's file is parsed (zsh -n) and its options compared.
# Usage: check_completions.sh PARSTEP COMPLETIONS_DIR
set -euo pipefail
parstep=$1 dir=$(cd "$2" && pwd)
source "$(dirname "$0")/options_of_help.sh"
fail() { echo "FAILED: $*" >&2; exit 1; }
expect() {  # WHAT EXPECTED ACTUAL
  [ "$2" = "$3" ] || fail "$1: expected [$2], got [$3]"
}
help_options=$(options_of_help "$parstep")
long_options=$(echo "$help_options" | grep -- '^--')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/logs" "$work/more logs"
touch "$work/steps.json" "$work/log notes.txt"

# bash: COMP_WORDS/COMP_CWORD in, COMPREPLY out, sorted one a line.
bash_complete() {  # WORD...; the last one is completed
  (cd "$work" && bash --norc --noprofile -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _parstep parstep "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}"' bash "$dir/parstep.bash" "$@") | sort
}
complete_line=$(bash --norc --noprofile -c 'source "$1"; complete -p parstep' bash "$dir/parstep.bash")
expect "bash: complete -p parstep" "complete -F _parstep parstep" "$complete_line"
expect "bash: parstep -<TAB>" "$help_options" "$(bash_complete parstep -)"
expect "bash: parstep --<TAB>" "$long_options" "$(bash_complete parstep --)"
expect "bash: --on-error" $'continue\nfinish\nhalt' "$(bash_complete parstep -x --on-error '')"
expect "bash: --output=" $'group\nline\nordered' "$(bash_complete parstep --output = '')"
expect "bash: -o o" "ordered" "$(bash_complete parstep -o o)"
expect "bash: --color" $'always\nauto\nnever' "$(bash_complete parstep --color '')"
expect "bash: --progress" $'always\nauto\nnever' "$(bash_complete parstep --progress '')"
expect "bash: --jobserver-style" $'auto\nfifo\npipe' "$(bash_complete parstep --jobserver-style '')"
expect "bash: -f" $'log notes.txt\nlogs\nmore logs\nsteps.json' "$(bash_complete parstep -f '')"
expect "bash: --report s" "steps.json" "$(bash_complete parstep --report s)"
expect "bash: --trace=l" $'log notes.txt\nlogs' "$(bash_complete parstep --trace = l)"
expect "bash: --log-dir" $'logs\nmore logs' "$(bash_complete parstep --log-dir '')"
expect "bash: -j" "" "$(bash_complete parstep -j '')"
bash_complete parstep -j2 ech | grep -qx echo || fail "bash: a step does not complete to a command"
bash_complete parstep -- --ech | grep -q . && fail "bash: after -- a word is a step, not an option"

# fish: complete -C prints "CANDIDATE<TAB>DESCRIPTION".
fish -n "$dir/parstep.fish" || fail "fish -n $dir/parstep.fish"
fish_complete() {
  (cd "$work" && fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$dir/parstep.fish" "$1") | cut -f1 | sort
}
expect "fish: parstep --<TAB>" "$long_options" "$(fish_complete 'parstep --')"
expect "fish: --on-error" $'continue\nfinish\nhalt' "$(fish_complete 'parstep --on-error ')"
expect "fish: --output=" $'--output=group\n--output=line\n--output=ordered' "$(fish_complete 'parstep --output=')"
expect "fish: --log-dir" $'logs/\nmore logs/' "$(fish_complete 'parstep --log-dir ')"
expect "fish: -f" $'log notes.txt\nlogs/\nmore logs/\nsteps.json' "$(fish_complete 'parstep -f ')"

# zsh: the file parses, is a completion function for parstep, and names
# every option (each long option once, each short one once).
zsh -n "$dir/parstep.zsh" || fail "zsh -n $dir/parstep.zsh"
expect "zsh: first line" "#compdef parstep" "$(head -1 "$dir/parstep.zsh")"
zsh_options=$( (grep -oE "\{-[[:alnum:]]\+?,--[[:alnum:]-]+=?\}" "$dir/parstep.zsh" | tr -d '{}+=' | tr ',' '\n'
  grep -oE "^  '--[[:alnum:]-]+" "$dir/parstep.zsh" | tr -d "' ") | sort)
expect "zsh: options" "$help_options" "$zsh_options"
echo "completions: bash, fish and zsh offer the $(echo "$help_options" | wc -l) option names of --help"
