#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exit_status.h"

namespace parstep {

/// What one step runs: a shell command line or an argv executed directly.
/// A description only; it starts nothing.
struct StepSpec {
  std::string name;
  std::string command;            ///< shell command line; used when argv is empty
  std::vector<std::string> argv;  ///< executed directly (no shell) when non-empty
  std::string cwd;                ///< empty: parstep's own working directory
  std::vector<std::pair<std::string, std::string>> env;  ///< added to the environment
  std::optional<std::chrono::milliseconds> timeout;         ///< stopped and failed after this long
  std::optional<std::chrono::milliseconds> silent_timeout;  ///< deemed hung after this long silent
  unsigned retries = 0;                                     ///< reruns allowed after a failure
  std::string start_error;  ///< non-empty: the step cannot start, for this reason (a bad queue line)
  std::vector<std::string> launcher;  ///< prefix of the command line (`srun … --`); empty: run locally


  bool is_argv() const { return !argv.empty(); }
  /// The command as a person would type it (argv joined with shell quoting).
  std::string display_command() const;
  /// What is executed: the launcher's words, then the argv or `shell -c command`.
  std::vector<std::string> command_line(const std::string& shell) const;
  /// display_command(), preceded by the launcher's words and `shell -c` when
  /// there is a launcher: the whole command line as a person would type it.
  std::string display_command_line(const std::string& shell) const;
};

/// A step's outcome, one to one with the report's `status` values (SPEC 5).
enum class StepStatus { ok, failed, timed_out, hung, stopped, not_started, error };

std::string_view to_string(StepStatus status);

/// What happened to one step. Filled in by the runner as the step progresses.
struct StepResult {
  StepStatus status = StepStatus::not_started;
  std::optional<ExitStatus> exit;  ///< set once the main process was reaped
  std::string error;  ///< status error: "could not start: ...", "output could not be kept: ..."
  unsigned slot = 0;               ///< 1-based; 0 when it never ran
  unsigned attempts = 0;
  std::uint64_t output_bytes = 0;
  std::chrono::system_clock::time_point started_at{};  ///< first attempt's start
  std::chrono::steady_clock::duration duration{};      ///< first attempt's start to last one's end
  std::chrono::milliseconds limit{};                   ///< timed_out, hung: the limit it passed

  bool succeeded() const { return status == StepStatus::ok; }
  /// "ok", "exit 3", "killed by SIGSEGV", "timed out after 10s",
  /// "hung: no output for 60s", "stopped", "not started", or the error.
  std::string describe() const;
};

/// "1.25s": the format used in headers and the summary.
std::string format_duration(std::chrono::steady_clock::duration d);

/// "10s", "0.5s", "1.25s": a limit as given.
std::string format_seconds(std::chrono::milliseconds d);

/// Shell-quotes one word so that /bin/sh reads it back unchanged.
std::string shell_quote(std::string_view word);

/// The words shell-quoted and joined by spaces.
std::string shell_join(const std::vector<std::string>& words);

}  // namespace parstep
