#pragma once

#include <string>
#include <vector>

#include "naming.h"
#include "step.h"

namespace parstep {

/// Queue mode's input (SPEC 1): one shell step per line of a descriptor,
/// handed out as soon as each line is complete. Blank lines are skipped; a
/// last line without newline still counts. Does not own the descriptor and
/// never makes it non-blocking (it is usually shared with a shell): the
/// event loop calls read() only when the descriptor is readable.
class QueueReader {
 public:
  /// Each step read starts as a copy of `prototype` (its limits and retries).
  explicit QueueReader(int fd, StepSpec prototype = {}) : fd_(fd), prototype_(std::move(prototype)) {}

  int fd() const { return fd_; }
  const StepSpec& prototype() const { return prototype_; }
  bool at_end() const { return at_end_; }
  /// One read(2); returns the steps whose lines it completed.
  std::vector<StepSpec> read();

 private:
  void add(std::string command, std::vector<StepSpec>& steps);

  int fd_;
  StepSpec prototype_;
  bool at_end_ = false;
  std::string partial_;
  StepNamer namer_;
};

}  // namespace parstep
