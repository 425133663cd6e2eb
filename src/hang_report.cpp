#include "hang_report.h"

#include <algorithm>
#include <cstdio>

#include "messages.h"
#include "proctree.h"
#include "step.h"
#include "summary.h"

namespace parstep {

std::string hang_report(const std::string& step_name, pid_t main_pid,
                        std::chrono::milliseconds silent_for, const std::string& tail) {
  auto table = read_process_table();
  // The step's main process, its descendants, and what is left in its
  // process group (orphans handed to parstep), each once, oldest first.
  std::vector<pid_t> pids = descendants(table, main_pid);
  pids.push_back(main_pid);
  for (const auto& p : table)
    if (p.pgrp == main_pid && p.state != 'Z') pids.push_back(p.pid);
  std::vector<const ProcessInfo*> rows;
  for (const auto& p : table)
    if (std::find(pids.begin(), pids.end(), p.pid) != pids.end()) rows.push_back(&p);
  std::sort(rows.begin(), rows.end(), [](auto* a, auto* b) { return a->start_ticks < b->start_ticks; });

  std::string text =
      message_line("hung: " + display_name(step_name) + ": no output for " + format_seconds(silent_for) +
                   "; its processes:");
  char line[256];
  std::snprintf(line, sizeof line, "  %7s %5s %7s %-24s %s\n", "PID", "STATE", "ELAPSED", "WCHAN", "COMMAND");
  text += line;
  for (const ProcessInfo* p : rows) {
    std::snprintf(line, sizeof line, "  %7d %5c %6.1fs %-24s ", p->pid, p->state,
                  seconds_since_start(p->start_ticks), wchan_of(p->pid).c_str());
    text += line + command_line_of(p->pid) + "\n";
  }
  if (!tail.empty()) text += message_line("the last lines it printed:") + quoted_lines(tail);
  return text;
}

}  // namespace parstep
