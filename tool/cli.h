#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "options.h"

namespace parstep {

/// A bad command line; what() is the one-line message (without "parstep: error: ").
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The command line, parsed and validated. Nothing has run yet.
struct CommandLine {
  RunOptions run;
  std::vector<std::string> commands;  ///< positional steps; empty: queue mode
  bool dry_run = false;
  bool help = false;
  bool version = false;
  std::string help_text;
};

/// Parses argv per SPEC 1. Throws UsageError naming the problem.
CommandLine parse_command_line(int argc, char** argv);

/// The CPUs parstep may run on (its affinity mask), at least 1.
unsigned available_cpus();

}  // namespace parstep
