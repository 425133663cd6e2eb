#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "colour.h"
#include "options.h"

namespace parstep {

/// A bad command line; what() is the one-line message (without "parstep: error: ").
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The command line, parsed and validated. Nothing has run yet.
struct CommandLine {
  Settings settings;  ///< what the command line set of what a manifest may also set
  RunOptions run;     ///< the rest; jobs, on_error and output are filled by resolve()
  std::string manifest;               ///< -f PATH ("-": stdin); empty: none
  std::vector<std::string> commands;  ///< positional steps; none and no -f: queue mode
  bool jobserver = false;                    ///< --jobserver: serve a pool to the steps
  std::string jobserver_style = "auto";      ///< auto, fifo or pipe
  When progress = When::automatic;
  When color = When::automatic;
  std::string ci = "auto";  ///< auto, github, gitlab or none
  bool dry_run = false;
  bool help = false;
  bool version = false;
  std::string help_text;
};

/// Parses argv per SPEC 1. Throws UsageError naming the problem.
CommandLine parse_command_line(int argc, char** argv);

/// The run options for `settings` (command line over manifest), with
/// defaults for what neither set, and --progress/--color decided against
/// the terminals parstep has.
RunOptions resolve(const CommandLine& cl, const Settings& settings);

/// The CPUs parstep may run on (its affinity mask), at least 1.
unsigned available_cpus();

}  // namespace parstep
