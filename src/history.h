#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "step.h"

namespace parstep {

/// A history file that cannot be used; what() says why (one line).
struct HistoryError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// What the history knows of one step (SPEC 8).
struct HistoryEntry {
  std::string command_hash;     ///< of the command it ran; another command makes the step unknown
  std::string last;             ///< the last run's status ("ok", "failed", ...: the report's names)
  std::vector<double> seconds;  ///< recent successful attempts' durations, oldest first
  std::string at;               ///< when it was last recorded (ISO 8601)
};

/// One step's outcome in this run, as the history records it.
struct HistoryRecord {
  StepStatus status;
  std::optional<std::chrono::milliseconds> ok_attempt;  ///< the successful attempt's length
};

/// The durations and results of earlier runs, by step name (the file of
/// `--history`). Parsing, lookups and merging only: reading and writing the
/// file are load_history() and save_history().
class History {
 public:
  static constexpr int kVersion = 1;
  static constexpr std::size_t kKeptDurations = 5;

  /// Parses the file's text; throws HistoryError when it is not a history.
  static History parse(std::string_view text);
  std::string to_json() const;

  /// The step's expected duration (median of its recent successes), when
  /// it is known under the same command.
  std::optional<std::chrono::milliseconds> expected(const StepSpec& step) const;
  /// Whether the step's last recorded run did not succeed (any command).
  bool failed_last_time(const std::string& name) const;
  /// Whether the step's last recorded status is anything but ok.
  bool last_not_ok(const std::string& name) const;
  /// Records one step's outcome of a run that ended at `at`.
  void record(const StepSpec& step, const HistoryRecord& record, const std::string& at);

  const std::map<std::string, HistoryEntry>& entries() const { return entries_; }

 private:
  std::map<std::string, HistoryEntry> entries_;
};

/// A hash of what a step runs (shell command or argv), as hex.
std::string command_hash(const StepSpec& step);

/// Reads the history at `path`. A missing file is an empty history; one
/// that cannot be read or parsed is an empty history and `warning` says
/// why ("cannot read it: ..." / "not a parstep history: ...").
History load_history(const std::string& path, std::string& warning);

/// Adds this run's outcomes to the history at `path`, safely when other
/// parsteps do the same at once: under an exclusive lock on `path.lock`
/// it reads the file again, records `steps` over it and renames a new file
/// into place. A corrupt file is replaced. Throws std::system_error.
void save_history(const std::string& path, const std::vector<StepSpec>& steps,
                  const std::vector<HistoryRecord>& records);

}  // namespace parstep
