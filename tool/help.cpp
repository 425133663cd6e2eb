#include "help.h"

#include <string_view>

#include "option_table.h"

#ifndef PARSTEP_VERSION
#define PARSTEP_VERSION "unknown"
#endif

namespace parstep {
namespace {

constexpr std::size_t kWidth = 79;
constexpr std::size_t kColumn = 29;  // where option descriptions start

constexpr std::string_view kSynopsis =
    "Usage: parstep [OPTIONS] [--] COMMAND...\n"
    "       parstep [OPTIONS] -f MANIFEST\n"
    "       parstep [OPTIONS] < COMMANDS\n"
    "\n"
    "Run build steps in parallel and print each step's output as one unbroken\n"
    "block. Each COMMAND is one step, run as SHELL -c COMMAND. With -f the steps\n"
    "come from a JSON manifest ('-' reads it from stdin). With neither, parstep\n"
    "reads one step per line of stdin and starts each as soon as it is read\n"
    "(queue mode). Put -- before steps that start with '-'.\n";

constexpr std::string_view kTrailer =
    "\n"
    "Exit status:\n"
    "  0      every step succeeded (also when there were no steps)\n"
    "  1      a step failed, timed out, hung or could not start\n"
    "  2      usage error or invalid manifest; nothing ran\n"
    "  128+N  interrupted by signal N: parstep stopped every step, then died of N\n"
    "\n"
    "Environment:\n"
    "  PARSTEP_OPTIONS  options read before the command line's, which wins; passed\n"
    "                   on to steps, so nested parsteps see it too\n"
    "  PARSTEP_STEP, PARSTEP_INDEX, PARSTEP_SLOT\n"
    "                   set for each step: its name, 0-based position, slot 1..j\n"
    "  MAKEFLAGS        a GNU make jobserver to share (--jobserver-auth)\n"
    "  TMPDIR           where step output is spooled (default: /tmp)\n"
    "  NO_COLOR, CLICOLOR_FORCE, FORCE_COLOR\n"
    "                   set or removed in steps' environment by --color\n"
    "\n"
    "Examples:\n"
    "  parstep -j4 'make -C lib' 'make -C app' ./lint.sh\n"
    "  parstep -x -f steps.json --report build/report.json\n"
    "  find . -name '*.proto' | sed 's/^/protoc --cpp_out=gen /' | parstep -j8\n"
    "\n"
    "The manual: man parstep\n";

std::string option_label(const OptionSpec& o) {
  std::string label = o.short_name.empty() ? "      --" : "  -" + std::string(o.short_name) + ", --";
  label += o.long_name;
  if (!o.value.empty()) label += " " + std::string(o.value);
  return label;
}

std::string option_help(const OptionSpec& o, unsigned cpus) {
  std::string text(o.help);
  if (auto at = text.find("{cpus}"); at != std::string::npos) text.replace(at, 6, std::to_string(cpus));
  std::string label = option_label(o);
  std::string lead = label.size() + 2 <= kColumn ? label + std::string(kColumn - label.size(), ' ')
                                                 : label + "\n" + std::string(kColumn, ' ');
  return lead + wrap(text, kWidth - kColumn, kColumn);
}

}  // namespace

std::string wrap(std::string_view text, std::size_t width, std::size_t indent) {
  std::string out;
  std::size_t used = 0;
  while (!text.empty()) {
    std::size_t start = text.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    text.remove_prefix(start);
    std::string_view word = text.substr(0, text.find(' '));
    text.remove_prefix(word.size());
    if (used > 0 && used + 1 + word.size() > width) {
      out += "\n" + std::string(indent, ' ');
      used = 0;
    } else if (used > 0) {
      out += ' ';
      ++used;
    }
    out += word;
    used += word.size();
  }
  return out + "\n";
}

std::string help_text(unsigned cpus) {
  std::string out(kSynopsis);
  bool first = true;
  OptionGroup group{};
  for (const OptionSpec& o : option_table()) {
    if (first || o.group != group) out += "\n" + std::string(group_title(o.group)) + ":\n";
    first = false;
    group = o.group;
    out += option_help(o, cpus);
  }
  return out + std::string(kTrailer);
}

std::string version_text() {
  return "parstep " PARSTEP_VERSION
         "\n"
         "Copyright (c) 2026 the parstep authors\n"
         "License MIT: <https://opensource.org/license/mit>\n"
         "This is free software: you are free to change and redistribute it.\n"
         "There is NO WARRANTY, to the extent permitted by law.\n";
}

}  // namespace parstep
