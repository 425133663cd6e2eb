#pragma once

#include <optional>

#include "jobserver_posix.h"
#include "options.h"
#include "surroundings.h"

namespace parstep {

/// What the command line (or manifest) said that bears on the jobserver.
struct JobserverRequest {
  bool serve = false;                   ///< --jobserver: serve a pool of -j slots
  std::optional<JobserverStyle> style;  ///< --jobserver-style; unset: automatic_jobserver_style()
  bool jobs_given = false;              ///< -j (or the manifest's "jobs") was given
};

/// SPEC 6: which jobserver a run uses, and what limits it. Sets
/// run.jobserver, and run.jobs and run.env where the choice changes them:
/// - MAKEFLAGS names a usable jobserver, and --jobserver is not given with
///   -j: join it (--jobserver alone joins too: a nested parstep shares its
///   parent's pool); without -j the jobserver alone limits (run.jobs = 0);
/// - --jobserver, and no jobserver in MAKEFLAGS or -j given: serve -j slots;
/// - MAKEFLAGS names an unusable one: limit with -j (given, else MAKEFLAGS'
///   -jN, else run.jobs as it came), serve when asked, else pass steps
///   MAKEFLAGS without the jobserver words and warn through `warn`, unless
///   PARSTEP_JOBSERVER_MISSING_OK is "1" (the CMake module expects it).
/// Throws UsageError for a pool that cannot be served.
void attach_jobserver(const JobserverRequest& request, const Surroundings& env, RunOptions& run,
                      const WarningSink& warn);

}  // namespace parstep
