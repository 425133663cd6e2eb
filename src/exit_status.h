#pragma once

#include <optional>
#include <string>

namespace parstep {

/// How a process ended: an exit code or the signal that killed it.
/// Built from a wait(2) status; a plain value, owns nothing.
class ExitStatus {
 public:
  static ExitStatus from_wait(int wait_status);
  static ExitStatus exited(int code) { return ExitStatus(code, 0); }
  static ExitStatus killed(int signal) { return ExitStatus(0, signal); }

  bool success() const { return signal_ == 0 && code_ == 0; }
  /// The exit code, when the process exited rather than being killed.
  std::optional<int> code() const;
  /// The terminating signal, when it was killed.
  std::optional<int> signal() const;
  /// "exit 3", "killed by SIGSEGV".
  std::string describe() const;

  bool operator==(const ExitStatus&) const = default;

 private:
  ExitStatus(int code, int signal) : code_(code), signal_(signal) {}
  int code_;
  int signal_;  // 0 when the process exited
};

/// "SIGSEGV" for 11; "signal 99" for a number with no name.
std::string signal_name(int signal);

}  // namespace parstep
