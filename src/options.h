#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ci_markers.h"

namespace parstep {

class History;
class Jobserver;

/// What to do after a step fails (SPEC 1, --on-error).
enum class OnError { keep_going, finish, halt };

/// How step output reaches stdout (SPEC 1, --output).
enum class OutputMode { group, ordered, line };

/// What --progress resolved to (SPEC 2): a live view on a terminal, plain
/// heartbeat lines elsewhere, or nothing.
enum class ProgressMode { off, terminal, heartbeat };

/// Everything that shapes a run, already validated. Built by the CLI (or a
/// manifest); the library never parses text into it.
struct RunOptions {
  unsigned jobs = 1;  ///< 0: no limit
  OnError on_error = OnError::keep_going;
  OutputMode output = OutputMode::group;
  bool output_on_failure = false;
  bool no_header = false;
  std::chrono::milliseconds kill_after{5000};
  std::string shell = "/bin/sh";
  std::string report_path;  ///< --report; empty: none
  std::string log_dir;      ///< --log-dir; empty: none
  std::string trace_path;   ///< --trace; empty: none
  std::string junit_path;   ///< --junit; empty: none
  ProgressMode progress = ProgressMode::off;  ///< on the error descriptor
  CiPlatform ci = CiPlatform::none;           ///< --ci, resolved
  std::string step_summary_path;  ///< GitHub's $GITHUB_STEP_SUMMARY (with ci github); empty: none
  bool colour = false;            ///< parstep colours its own output (SPEC 2, Colour)
  bool pty = false;               ///< --pty: each step writes to a pseudo-terminal of its own
  /// A jobserver pool to draw a token from for each step (SPEC 6); null: none.
  std::shared_ptr<Jobserver> jobserver;
  std::vector<std::pair<std::string, std::string>> env;  ///< added to every step's environment
  std::vector<std::string> env_unset;  ///< removed from every step's environment (before `env` is added)
  std::string history_path;                  ///< --history: updated when the run ends; empty: none
  std::shared_ptr<const History> history;    ///< what that file held at start (SPEC 8)
  bool schedule_longest = false;             ///< --schedule longest: start by the history's ranks
  bool direct_plain_commands = true;         ///< run shell steps without shell syntax without the shell
};

/// The most -j / "jobs" and --retries / "retries" accept, on the command
/// line and in a manifest alike.
inline constexpr unsigned kMaxJobs = 1000000;
inline constexpr unsigned kMaxRetries = 1000;

/// Settings that may come from the command line or a manifest. Unset ones
/// fall through: command line, then manifest step, then manifest top level,
/// then parstep's default.
struct Settings {
  std::optional<unsigned> jobs;
  std::optional<OnError> on_error;
  std::optional<OutputMode> output;
  std::optional<std::chrono::milliseconds> timeout;
  std::optional<std::chrono::milliseconds> silent_timeout;
  std::optional<unsigned> retries;
  std::optional<std::vector<std::string>> launcher;  ///< set and empty: run locally
};

/// `over`'s values where set, else `under`'s.
Settings overlay(const Settings& over, const Settings& under);

std::string_view to_string(OnError mode);
std::string_view to_string(OutputMode mode);

}  // namespace parstep
