#include "surroundings.h"

#include <unistd.h>

#include <cstdlib>

#include "cpu_count.h"

namespace parstep {

Surroundings Surroundings::of_this_process() {
  Surroundings s;
  s.makeflags = std::getenv("MAKEFLAGS");
  s.jobserver_missing_ok = std::getenv("PARSTEP_JOBSERVER_MISSING_OK");
  s.term = std::getenv("TERM");
  s.no_color = std::getenv("NO_COLOR");
  s.clicolor_force = std::getenv("CLICOLOR_FORCE");
  s.github_actions = std::getenv("GITHUB_ACTIONS");
  s.gitlab_ci = std::getenv("GITLAB_CI");
  s.github_step_summary = std::getenv("GITHUB_STEP_SUMMARY");
  s.stdout_terminal = isatty(STDOUT_FILENO) == 1;
  s.stderr_terminal = isatty(STDERR_FILENO) == 1;
  s.cpus = cpu_count();
  return s;
}

}  // namespace parstep
