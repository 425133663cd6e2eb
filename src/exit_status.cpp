#include "exit_status.h"

#include <string.h>
#include <sys/wait.h>

namespace parstep {

ExitStatus ExitStatus::from_wait(int wait_status) {
  if (WIFSIGNALED(wait_status)) return killed(WTERMSIG(wait_status));
  return exited(WEXITSTATUS(wait_status));
}

std::optional<int> ExitStatus::code() const {
  if (signal_ != 0) return std::nullopt;
  return code_;
}

std::optional<int> ExitStatus::signal() const {
  if (signal_ == 0) return std::nullopt;
  return signal_;
}

std::string ExitStatus::describe() const {
  if (signal_ != 0) return "killed by " + signal_name(signal_);
  return "exit " + std::to_string(code_);
}

std::string signal_name(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  if (abbrev == nullptr) return "signal " + std::to_string(signal);
  return std::string("SIG") + abbrev;
}

}  // namespace parstep
