#include "summary.h"

#include "colour.h"
#include "messages.h"

namespace parstep {

std::string display_name(const std::string& name) {
  std::string shown;
  for (char c : name) {
    if (c == '\n') shown += "\\n";
    else if (c == '\r') shown += "\\r";
    else shown += c;
  }
  return shown;
}

namespace {

std::string failures(const std::vector<StepSpec>& steps, const std::vector<StepResult>& results,
                     const std::vector<std::string>& tails, bool colour) {
  std::size_t bad = 0;
  for (const auto& r : results) bad += r.succeeded() ? 0 : 1;
  if (bad == 0) return {};
  std::string text = message_line(std::to_string(bad) + " of " + std::to_string(results.size()) +
                                  (results.size() == 1 ? " step" : " steps") + " did not succeed:");
  std::size_t not_started = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i].succeeded()) continue;
    if (results[i].status == StepStatus::not_started && ++not_started > kNotStartedListed) continue;
    text += paint("  " + display_name(steps[i].name) + ": " + results[i].describe() + "\n", Paint::red, colour);
    if (i < tails.size() && !tails[i].empty()) text += quoted_lines(tails[i]);
  }
  if (not_started > kNotStartedListed)
    text += paint("  \u2026 and " + std::to_string(not_started - kNotStartedListed) + " more not started\n", Paint::red,
                  colour);
  return text;
}

std::string flaky(const std::vector<StepSpec>& steps, const std::vector<StepResult>& results, bool colour) {
  std::string lines;
  std::size_t count = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!results[i].succeeded() || results[i].attempts < 2) continue;
    ++count;
    lines += paint("  " + display_name(steps[i].name) + ": ok at attempt " + std::to_string(results[i].attempts) + "\n",
                   Paint::yellow, colour);
  }
  if (count == 0) return {};
  return message_line(std::to_string(count) + (count == 1 ? " step" : " steps") +
                      " succeeded only after retries (flaky):") +
         lines;
}

}  // namespace

std::string format_summary(const std::vector<StepSpec>& steps,
                           const std::vector<StepResult>& results,
                           const std::vector<std::string>& tails, bool colour) {
  return failures(steps, results, tails, colour) + flaky(steps, results, colour);
}

std::string quoted_lines(const std::string& text) {
  std::string quoted;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t nl = text.find('\n', begin);
    if (nl == std::string::npos) nl = text.size();
    quoted += "    | " + text.substr(begin, nl - begin) + "\n";
    begin = nl + 1;
  }
  return quoted;
}

}  // namespace parstep
