#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ci_markers.h"
#include "colour.h"
#include "jobserver_posix.h"
#include "options.h"
#include "queue_reader.h"

namespace parstep {

/// What the command line (and PARSTEP_OPTIONS) asked for, parsed and
/// validated; tool/cli.cpp makes it, make_plan() (plan.h) turns it into a
/// run. Nothing has been read or run yet.
struct CommandLine {
  Settings settings;  ///< what the command line set of what a manifest may also set
  RunOptions run;     ///< the rest; jobs, on_error and output are filled by resolve()
  std::string manifest;               ///< -f PATH ("-": stdin); empty: none
  std::vector<std::string> commands;  ///< positional steps; none and no -f: queue mode
  QueueFormat queue_format = QueueFormat::lines;  ///< --queue-format: json makes queue lines manifest steps
  bool jobserver = false;                         ///< --jobserver: serve a pool to the steps
  std::optional<JobserverStyle> jobserver_style;  ///< fifo or pipe; unset: auto
  When progress = When::automatic;
  When color = When::automatic;
  std::optional<CiPlatform> ci;          ///< github, gitlab or none; unset: auto (from the environment)
  std::string history;                   ///< --history PATH; empty: none (a manifest may name one)
  std::optional<bool> schedule_longest;  ///< --schedule: longest (true) or given; unset: longest with a history
  bool rerun_failed = false;             ///< --rerun-failed
  bool dry_run = false;
  bool help = false;
  bool version = false;
};

}  // namespace parstep
