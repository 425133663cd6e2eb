#pragma once

#include <functional>
#include <string>

namespace parstep {

/// What planning a run reads of the process's surroundings: environment
/// variables (null: unset), which standard descriptors are terminals, the
/// CPUs. of_this_process() fills it from getenv and isatty; tests write
/// one by hand, so planning never reads the environment itself.
struct Surroundings {
  const char* makeflags = nullptr;             ///< MAKEFLAGS (SPEC 6)
  const char* jobserver_missing_ok = nullptr;  ///< PARSTEP_JOBSERVER_MISSING_OK: "1" silences the fallback warning
  const char* term = nullptr;                  ///< TERM
  const char* no_color = nullptr;              ///< NO_COLOR
  const char* clicolor_force = nullptr;        ///< CLICOLOR_FORCE
  const char* github_actions = nullptr;        ///< GITHUB_ACTIONS
  const char* gitlab_ci = nullptr;             ///< GITLAB_CI
  const char* github_step_summary = nullptr;   ///< GITHUB_STEP_SUMMARY
  bool stdout_terminal = false;
  bool stderr_terminal = false;
  unsigned cpus = 1;  ///< the CPUs parstep may run on (the default -j)

  static Surroundings of_this_process();
};

/// Where a warning goes: one whole line ("parstep: warning: …\n", coloured
/// when parstep's output is).
using WarningSink = std::function<void(const std::string& line)>;

}  // namespace parstep
