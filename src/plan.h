#pragma once

#include <string>
#include <vector>

#include "command_line.h"
#include "options.h"
#include "step.h"
#include "surroundings.h"

namespace parstep {

/// Everything needed to run, decided before anything runs.
struct Plan {
  RunOptions options;
  std::vector<StepSpec> steps;
  bool queue = false;    ///< more steps come from stdin
  bool dry_run = false;  ///< -n, or a '+' recipe under make -n (SPEC 6): show, do not run
};

/// The run options for `settings` (command line over manifest), with
/// defaults for what neither set, and --ci, --progress and --color decided
/// against `env` (its variables and terminals).
RunOptions resolve(const CommandLine& cl, const Settings& settings, const Surroundings& env);

/// Makes the plan of a run (SPEC 1, 3, 6, 8): the steps (the manifest of
/// -f, read from its file or stdin, or the positional COMMANDs), the run
/// options, the history (--rerun-failed keeps the steps it says did not
/// succeed) and, unless this is a dry run, checks of the output paths and
/// the jobserver (jobserver_policy.h). Throws UsageError for anything
/// unusable; warnings (a corrupt history, an unusable jobserver) go to
/// `warn`.
Plan make_plan(const CommandLine& cl, const Surroundings& env, const WarningSink& warn);

}  // namespace parstep
