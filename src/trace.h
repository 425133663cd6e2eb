#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "step.h"

namespace parstep {

/// One attempt of one step, as the trace shows it.
struct TraceEvent {
  std::size_t index;
  unsigned attempt;  ///< 1-based
  unsigned slot;
  std::chrono::steady_clock::duration start;  ///< since the run started
  std::chrono::steady_clock::duration length;
  StepStatus status;
};

/// A Chrome trace-event file (JSON object form, loads in Perfetto and
/// chrome://tracing): one complete event ("ph": "X") per attempt on the
/// thread of its slot, the step's name as the event's, status in args.
std::string trace_json(const std::vector<TraceEvent>& events, const std::vector<StepSpec>& steps);

}  // namespace parstep
