#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "options.h"
#include "step.h"

namespace parstep {

/// What the JSON report (SPEC 5) is made from.
struct ReportInput {
  std::chrono::system_clock::time_point started_at;
  std::chrono::steady_clock::duration duration{};
  unsigned jobs = 0;
  OnError on_error = OnError::keep_going;
  int exit_code = 0;  ///< as the parent sees it: 128+N when killed by signal N
  const std::vector<StepSpec>* steps = nullptr;
  const std::vector<StepResult>* results = nullptr;
  const std::vector<std::string>* logs = nullptr;  ///< by step; empty entries: no log
};

/// The report as JSON text.
std::string report_json(const ReportInput& input);

/// "2026-11-22T03:30:00.123Z".
std::string iso8601(std::chrono::system_clock::time_point t);

}  // namespace parstep
