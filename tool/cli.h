#pragma once

#include <optional>
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
  bool queue_json = false;            ///< --queue-format json: queue lines are manifest steps
  bool jobserver = false;                    ///< --jobserver: serve a pool to the steps
  std::string jobserver_style = "auto";      ///< auto, fifo or pipe
  When progress = When::automatic;
  When color = When::automatic;
  std::string ci = "auto";  ///< auto, github, gitlab or none
  std::string history;             ///< --history PATH; empty: none (a manifest may name one)
  std::optional<bool> schedule_longest;  ///< --schedule: longest (true) or given; unset: longest with a history
  bool rerun_failed = false;       ///< --rerun-failed
  bool dry_run = false;
  bool help = false;
  bool version = false;
};

/// Parses the options in `env_options` (PARSTEP_OPTIONS; may be null),
/// then argv over them, per SPEC 1. Throws UsageError naming the problem
/// (and PARSTEP_OPTIONS when the problem is there).
CommandLine parse_command_line(int argc, const char* const* argv, const char* env_options = nullptr);

/// The run options for `settings` (command line over manifest), with
/// defaults for what neither set, and --progress/--color decided against
/// the terminals parstep has.
RunOptions resolve(const CommandLine& cl, const Settings& settings);

/// The CPUs parstep may run on (its affinity mask), at least 1.
unsigned available_cpus();

}  // namespace parstep
