#include "step.h"

#include <cstdio>

namespace parstep {

std::string_view to_string(StepStatus status) {
  switch (status) {
    case StepStatus::ok: return "ok";
    case StepStatus::failed: return "failed";
    case StepStatus::timed_out: return "timed_out";
    case StepStatus::hung: return "hung";
    case StepStatus::stopped: return "stopped";
    case StepStatus::not_started: return "not_started";
    case StepStatus::error: return "error";
  }
  return "unknown";
}

std::string StepSpec::display_command() const { return is_argv() ? shell_join(argv) : command; }

std::vector<std::string> StepSpec::command_line(const std::string& shell) const {
  std::vector<std::string> line = launcher;
  if (is_argv()) line.insert(line.end(), argv.begin(), argv.end());
  else line.insert(line.end(), {shell, "-c", command});
  return line;
}

std::string StepSpec::display_command_line(const std::string& shell) const {
  return launcher.empty() ? display_command() : shell_join(command_line(shell));
}

std::string StepResult::describe() const {
  switch (status) {
    case StepStatus::ok: return "ok";
    case StepStatus::stopped: return "stopped";
    case StepStatus::not_started: return "not started";
    case StepStatus::error: return error;
    case StepStatus::timed_out: return "timed out after " + format_seconds(limit);
    case StepStatus::hung: return "hung: no output for " + format_seconds(limit);
    default: return exit ? exit->describe() : std::string(to_string(status));
  }
}

std::string format_seconds(std::chrono::milliseconds d) {
  char text[32];
  std::snprintf(text, sizeof text, "%gs", static_cast<double>(d.count()) / 1000);
  return text;
}

std::string format_duration(std::chrono::steady_clock::duration d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2fs", std::chrono::duration<double>(d).count());
  return text;
}

std::string shell_quote(std::string_view word) {
  bool plain = !word.empty();
  for (char c : word) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                std::string_view("@%+=:,./_-").find(c) != std::string_view::npos;
    plain = plain && safe;
  }
  if (plain) return std::string(word);
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') quoted += "'\\''";
    else quoted += c;
  }
  return quoted + "'";
}

std::string shell_join(const std::vector<std::string>& words) {
  std::string joined;
  for (const auto& word : words) {
    if (!joined.empty()) joined += ' ';
    joined += shell_quote(word);
  }
  return joined;
}

}  // namespace parstep
