// The Runner's stopping side: stopping steps (halt, interrupt, limits),
// the SIGKILL deadlines that follow, and whether a finished step left
// anything behind.
#include <signal.h>
#include <unistd.h>


#include "messages.h"
#include "runner.h"

namespace parstep {

// Whether no process that left a finished step's group can still hold its
// spool: as a child subreaper, parstep would be the parent of any orphan.
bool Runner::no_orphan_left() const {
  for (pid_t pid : os_.children())
    if (!by_pid_.contains(pid)) return false;
  return true;
}

// Starts nothing more and stops every running step; SIGKILL to every
// descendant at kill_all_at_.
void Runner::stop_all() {
  stopped_all_ = true;
  sched_.stop();
  abandon_waiting();
  auto table = os_.process_table();
  for (auto [pid, i] : by_pid_) stop_step(i, table, StopReason::halted);
  if (!kill_all_at_) kill_all_at_ = os_.now() + opt_.kill_after;
}

// SIGTERM to the step's process group and to its descendants that left the
// group; SIGKILL to both after --kill-after.
void Runner::stop_step(std::size_t i, const std::vector<ProcessInfo>& table, StopReason reason) {
  Active& a = active_[i];
  if (a.stop != StopReason::none) return;
  a.stop = reason;
  if (reason == StopReason::halted) drop_output(i);
  auto tree = descendants(table, a.pid);
  os_.signal_group(a.pid, SIGTERM);
  for (pid_t d : tree) os_.signal_process(d, SIGTERM);
  // A stopped process (Ctrl-Z, terminal input) acts on SIGTERM only once
  // continued: without this it would wait out the whole --kill-after.
  os_.signal_group(a.pid, SIGCONT);
  for (pid_t d : tree) os_.signal_process(d, SIGCONT);
  kill_deadlines_.push_back({a.pid, os_.now() + opt_.kill_after});
}

// --timeout and --silent-timeout of running steps.
void Runner::enforce_limits(Clock::time_point now) {
  for (auto [pid, i] : by_pid_) {
    Active& a = active_[i];
    const StepSpec& spec = specs_[i];
    if (a.stop != StopReason::none) continue;
    if (spec.timeout && now - a.started >= *spec.timeout) {
      results_[i].limit = *spec.timeout;
      stop_step(i, os_.process_table(), StopReason::timed_out);
    } else if (spec.silent_timeout && now - a.last_output >= *spec.silent_timeout && silent_after_reading(i)) {
      results_[i].limit = *spec.silent_timeout;
      tell(os_.hang_report(spec.name, a.pid, *spec.silent_timeout, a.spool->tail(kTailLines)));
      stop_step(i, os_.process_table(), StopReason::hung);
    }
  }
}

// Whether the step wrote nothing for its --silent-timeout even counting
// what waits unread in its pipe (parstep may have been stopped while the step
// kept writing, or not yet have handled its output this turn).
bool Runner::silent_after_reading(std::size_t i) {
  Active& a = active_[i];
  if (a.pipe) capture(i);
  return os_.now() - a.last_output >= *specs_[i].silent_timeout;
}

void Runner::kill_due(Clock::time_point now) {
  std::erase_if(kill_deadlines_, [&](const KillDeadline& d) {
    if (d.at > now) return false;
    auto running = by_pid_.find(d.pgid);
    if (running == by_pid_.end()) {
      os_.signal_group(d.pgid, SIGKILL);  // stragglers of a finished step
      os_.unguard(d.pgid);
    } else if (active_[running->second].stop != StopReason::none) {
      os_.signal_group(d.pgid, SIGKILL);
      os_.signal_descendants(d.pgid, SIGKILL);
    }  // else the id now belongs to a new step: leave it alone
    return true;
  });
  if (kill_all_at_ && *kill_all_at_ <= now) {
    for (auto [pid, i] : by_pid_) os_.signal_group(pid, SIGKILL);
    os_.signal_descendants(0, SIGKILL);
  }
}

std::optional<Clock::time_point> Runner::next_wake() {
  auto now = os_.now();
  std::optional<Clock::time_point> next = kill_all_at_;
  if (next && *next <= now) next = now + kKillRetry;
  auto consider = [&](Clock::time_point t) {
    if (!next || t < *next) next = t;
  };
  for (const auto& d : kill_deadlines_) consider(d.at);
  for (auto [pid, i] : by_pid_) {
    const Active& a = active_[i];
    if (a.stop != StopReason::none) continue;
    if (specs_[i].timeout) consider(a.started + *specs_[i].timeout);
    if (specs_[i].silent_timeout) consider(a.last_output + *specs_[i].silent_timeout);
  }
  if (progress_ && progress_->due()) consider(*progress_->due());
  if (opt_.progress == ProgressMode::heartbeat && !by_pid_.empty()) consider(last_said_ + kHeartbeat);
  return next;
}

// A failure of parstep itself (not of a step): say so, and end the run the
// way an interrupt does, so that no process is left behind.
void Runner::fail_internally(const std::exception& e) {
  tell(error_line(e.what()));
  internal_error_ = true;
  if (!stopped_all_) stop_all();
}

}  // namespace parstep
