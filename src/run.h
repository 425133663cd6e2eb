#pragma once

#include <vector>

#include "options.h"
#include "queue_reader.h"
#include "step.h"

namespace parstep {

/// What a run did. `exit_code` is 0 when every step succeeded, else 1.
/// `signal` is non-zero when parstep must now die of that signal (it was
/// interrupted, or its stdout reader went away: SIGPIPE).
struct RunOutcome {
  std::vector<StepSpec> steps;
  std::vector<StepResult> results;
  int exit_code = 0;
  int signal = 0;
};

/// Runs `steps` (and, with `queue`, one more shell step per line it reads,
/// each started as soon as it is read) as SPEC sections 1, 2 and 4 say:
/// at most `options.jobs` at once, their output on `out_fd` per the output
/// mode, messages and the failure summary on `err_fd`. Returns when every
/// step has ended and no process descended from parstep remains.
RunOutcome run(std::vector<StepSpec> steps, QueueReader* queue, const RunOptions& options,
               int out_fd, int err_fd);

}  // namespace parstep
