#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>

namespace parstep {

/// The report printed when a step is deemed hung (SPEC 1, --silent-timeout):
/// its process tree as /proc shows it now — pid, state, elapsed time, the
/// kernel function it waits in, command line — then the last lines it
/// printed. Reads /proc; changes nothing.
std::string hang_report(const std::string& step_name, pid_t main_pid,
                        std::chrono::milliseconds silent_for, const std::string& tail);

}  // namespace parstep
