#pragma once

#include <string>
#include <vector>

#include "step.h"

namespace parstep {

/// Not-started steps listed by name in the summary; the rest are counted.
inline constexpr std::size_t kNotStartedListed = 10;

/// The summary printed on stderr at the end of a run (SPEC 2): a count,
/// then one line per step that did not succeed with what happened, then the
/// last lines of its output (`tails`, by step index; may be empty); beyond
/// kNotStartedListed not-started steps, one "… and N more not started"
/// line. Then the steps that succeeded only after retries ("flaky"). Empty
/// when every step succeeded at its first attempt. `colour`: the lines of
/// failed steps in red, flaky ones in yellow.
std::string format_summary(const std::vector<StepSpec>& steps,
                           const std::vector<StepResult>& results,
                           const std::vector<std::string>& tails, bool colour = false);

/// Each line of `text` as "    | line\n": how output is quoted on stderr.
std::string quoted_lines(const std::string& text);

/// A step name as one printable line: newlines and carriage returns shown
/// as \n and \r.
std::string display_name(const std::string& name);

}  // namespace parstep
