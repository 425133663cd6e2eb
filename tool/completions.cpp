// parstep_completions bash|zsh|fish: writes the shell completion script
// for parstep to stdout, made from the option table, so that the
// completions list exactly the options --help lists. Run at build time
// (tool/CMakeLists.txt); tests/docs/check_completions.sh tries them in
// the real shells.
#include <cstdio>
#include <string>
#include <string_view>

#include "option_table.h"

namespace {

using namespace parstep;

std::string describe(const OptionSpec& o) {
  std::string text(o.help);
  if (auto at = text.find(", here {cpus}"); at != std::string::npos) text.erase(at, 13);
  return text;
}

// `text` with each character of `specials` preceded by a backslash.
std::string escaped(std::string_view text, std::string_view specials) {
  std::string out;
  for (char c : text) {
    if (specials.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// `text` in shell single quotes.
std::string single_quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string names(const OptionSpec& o, const char* separator) {
  std::string out = o.short_name.empty() ? "" : "-" + std::string(o.short_name) + separator;
  return out + "--" + std::string(o.long_name);
}

std::string bash_case(ValueKind kind, std::string_view choices) {
  switch (kind) {
    case ValueKind::choice: return "COMPREPLY=($(compgen -W '" + std::string(choices) + "' -- \"$cur\"))";
    case ValueKind::file: return "compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")";
    case ValueKind::directory: return "compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- \"$cur\")";
    case ValueKind::program: return "compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -c -- \"$cur\")";
    default: return ":";  // a number or a duration: nothing to offer
  }
}

void bash() {
  std::string words;
  std::puts("# bash completion for parstep; made from its option table, do not edit\n"
            "_parstep() {\n"
            "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]:-} i\n"
            "  # --option=value: bash splits at '='\n"
            "  if [[ $cur == = ]]; then cur=\n"
            "  elif [[ $prev == = ]]; then prev=${COMP_WORDS[COMP_CWORD-2]}\n"
            "  fi\n"
            "  COMPREPLY=()\n"
            "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
            "    if [[ ${COMP_WORDS[i]} == -- ]]; then\n"
            "      mapfile -t COMPREPLY < <(compgen -c -- \"$cur\"); return\n"
            "    fi\n"
            "  done\n"
            "  case $prev in");
  for (const OptionSpec& o : option_table()) {
    words += (words.empty() ? "" : " ") + names(o, " ");
    if (o.kind != ValueKind::none)
      std::printf("    %s) %s; return ;;\n", names(o, "|").c_str(), bash_case(o.kind, o.choices).c_str());
  }
  std::printf("  esac\n"
              "  if [[ $cur == -* ]]; then\n"
              "    COMPREPLY=($(compgen -W '%s' -- \"$cur\"))\n"
              "  else\n"
              "    mapfile -t COMPREPLY < <(compgen -c -- \"$cur\")\n"
              "  fi\n"
              "}\n"
              "complete -F _parstep parstep\n",
              words.c_str());
}

std::string zsh_action(const OptionSpec& o) {
  std::string value = ":" + std::string(o.value) + ":";
  switch (o.kind) {
    case ValueKind::none: return "";
    case ValueKind::choice: return value + "(" + std::string(o.choices) + ")";
    case ValueKind::file: return value + "_files";
    case ValueKind::directory: return value + "_files -/";
    case ValueKind::program: return value + "_command_names -e";
    default: return value + " ";
  }
}

void zsh() {
  std::puts("#compdef parstep\n# zsh completion for parstep; made from its option table, do not edit\n\n_arguments -s -S \\");
  for (const OptionSpec& o : option_table()) {
    std::string description = "[" + escaped(describe(o), "[]\\") + "]" + zsh_action(o);
    std::string quoted = single_quoted(description);
    std::string suffix = o.value.empty() ? "" : "=";
    if (o.short_name.empty()) {
      std::printf("  '--%s%s'%s \\\n", std::string(o.long_name).c_str(), suffix.c_str(), quoted.c_str());
    } else {
      std::printf("  '(-%s --%s)'{-%s%s,--%s%s}%s \\\n", std::string(o.short_name).c_str(),
                  std::string(o.long_name).c_str(), std::string(o.short_name).c_str(), o.value.empty() ? "" : "+",
                  std::string(o.long_name).c_str(), suffix.c_str(), quoted.c_str());
    }
  }
  std::puts("  '*::step:_cmdstring'");
}

std::string fish_value(const OptionSpec& o) {
  switch (o.kind) {
    case ValueKind::none: return "";
    case ValueKind::choice: return " -x -a '" + std::string(o.choices) + "'";
    case ValueKind::file: case ValueKind::program: return " -r -F";
    case ValueKind::directory: return " -x -a '(__fish_complete_directories (commandline -ct))'";
    default: return " -x";
  }
}

void fish() {
  std::puts("# fish completion for parstep; made from its option table, do not edit");
  for (const OptionSpec& o : option_table()) {
    std::string short_flag = o.short_name.empty() ? "" : " -s " + std::string(o.short_name);
    std::printf("complete -c parstep%s -l %s%s -d '%s'\n", short_flag.c_str(), std::string(o.long_name).c_str(),
                fish_value(o).c_str(), escaped(describe(o), "'\\").c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string_view shell = argc == 2 ? argv[1] : "";
  if (shell == "bash") bash();
  else if (shell == "zsh") zsh();
  else if (shell == "fish") fish();
  else {
    std::fputs("usage: parstep_completions bash|zsh|fish\n", stderr);
    return 2;
  }
  return std::fflush(stdout) == 0 ? 0 : 1;
}
