#include "summary.h"

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

std::string format_summary(const std::vector<StepSpec>& steps,
                           const std::vector<StepResult>& results,
                           const std::vector<std::string>& tails) {
  std::size_t bad = 0;
  for (const auto& r : results) bad += r.succeeded() ? 0 : 1;
  if (bad == 0) return {};
  std::string text = "parstep: " + std::to_string(bad) + " of " + std::to_string(results.size()) +
                     (results.size() == 1 ? " step" : " steps") + " did not succeed:\n";
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i].succeeded()) continue;
    text += "  " + display_name(steps[i].name) + ": " + results[i].describe() + "\n";
    if (i < tails.size() && !tails[i].empty()) text += quoted_lines(tails[i]);
  }
  return text;
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
