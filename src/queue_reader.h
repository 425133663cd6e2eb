#pragma once

#include <string>
#include <vector>

#include "naming.h"
#include "options.h"
#include "step.h"

namespace parstep {

/// How queue mode reads its lines (SPEC 3, --queue-format).
enum class QueueFormat {
  lines,  ///< one shell command per line
  json,   ///< one manifest step (a JSON string or object) per line
};

/// Queue mode's input (SPEC 1): one step per line of a descriptor, handed
/// out as soon as each line is complete. Blank lines are skipped; a last
/// line without newline still counts. Does not own the descriptor and never
/// makes it non-blocking (it is usually shared with a shell): the event loop
/// calls read() only when the descriptor is readable.
class QueueReader {
 public:
  /// Each step read starts as a copy of `prototype` (its limits and retries).
  /// With `json`, a line's own timeout, silent_timeout and retries apply
  /// where `command_line` (which `prototype` was made from) sets none.
  explicit QueueReader(int fd, StepSpec prototype = {}, QueueFormat format = QueueFormat::lines,
                       Settings command_line = {})
      : fd_(fd), prototype_(std::move(prototype)), format_(format), command_line_(command_line) {}

  int fd() const { return fd_; }
  const StepSpec& prototype() const { return prototype_; }
  /// Whether a step read may have retries (known only for `lines`, or when
  /// the command line sets them).
  bool may_retry() const;
  bool at_end() const { return at_end_; }
  /// One read(2); returns the steps whose lines it completed. A JSON line
  /// that is not a valid step becomes a step with `start_error` set.
  std::vector<StepSpec> read();

 private:
  void add(std::string line, std::vector<StepSpec>& steps);
  StepSpec json_step(const std::string& line);

  int fd_;
  StepSpec prototype_;
  QueueFormat format_;
  Settings command_line_;
  bool at_end_ = false;
  std::size_t line_number_ = 0;  ///< of the last line completed
  std::string partial_;
  StepNamer namer_;
};

}  // namespace parstep
