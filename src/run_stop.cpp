// The Runner's stopping side: stopping steps (halt, interrupt, limits),
// the SIGKILL deadlines that follow, and whether a finished step left
// anything behind.
#include <signal.h>
#include <unistd.h>

#include <cstdio>

#include "hang_report.h"
#include "runner.h"

namespace parstep {

// Whether a step that just ended can have left a process that still holds
// its spool: none in its process group, and none orphaned (as a child
// subreaper, parstep would be the parent of any that left the group).
bool Runner::step_left_nothing(pid_t pgid) const {
  if (kill(-pgid, 0) == 0) return false;
  std::string path = "/proc/self/task/" + std::to_string(gettid()) + "/children";
  FILE* f = std::fopen(path.c_str(), "re");
  if (f == nullptr) return false;
  int pid = 0;
  bool only_steps = true;
  while (only_steps && std::fscanf(f, "%d", &pid) == 1) only_steps = by_pid_.contains(pid);
  std::fclose(f);
  return only_steps;
}

// Starts nothing more and stops every running step; SIGKILL to every
// descendant at kill_all_at_.
void Runner::stop_all() {
  stopped_all_ = true;
  sched_.stop();
  abandon_waiting();
  auto table = read_process_table();
  for (auto [pid, i] : by_pid_) stop_step(i, table, StopReason::halted);
  if (!kill_all_at_) kill_all_at_ = Clock::now() + opt_.kill_after;
}

// SIGTERM to the step's process group and to its descendants that left the
// group; SIGKILL to both after --kill-after.
void Runner::stop_step(std::size_t i, const std::vector<ProcessInfo>& table, StopReason reason) {
  Active& a = active_[i];
  if (a.stop != StopReason::none) return;
  a.stop = reason;
  if (reason == StopReason::halted) drop_output(i);
  auto tree = descendants(table, a.pid);
  kill(-a.pid, SIGTERM);
  for (pid_t d : tree) kill(d, SIGTERM);
  // A stopped process (Ctrl-Z, terminal input) acts on SIGTERM only once
  // continued: without this it would wait out the whole --kill-after.
  kill(-a.pid, SIGCONT);
  for (pid_t d : tree) kill(d, SIGCONT);
  kill_deadlines_.push_back({a.pid, Clock::now() + opt_.kill_after});
}

// --timeout and --silent-timeout of running steps.
void Runner::enforce_limits(Clock::time_point now) {
  for (auto [pid, i] : by_pid_) {
    Active& a = active_[i];
    const StepSpec& spec = specs_[i];
    if (a.stop != StopReason::none) continue;
    if (spec.timeout && now - a.started >= *spec.timeout) {
      results_[i].limit = *spec.timeout;
      stop_step(i, read_process_table(), StopReason::timed_out);
    } else if (spec.silent_timeout && now - a.last_output >= *spec.silent_timeout && silent_after_reading(i)) {
      results_[i].limit = *spec.silent_timeout;
      tell(hang_report(spec.name, a.pid, *spec.silent_timeout, a.spool->tail(kTailLines)));
      stop_step(i, read_process_table(), StopReason::hung);
    }
  }
}

// Whether the step wrote nothing for its --silent-timeout even counting
// what waits unread in its pipe (parstep may have been stopped while the step
// kept writing, or not yet have handled its output this turn).
bool Runner::silent_after_reading(std::size_t i) {
  Active& a = active_[i];
  if (a.pipe) capture(i);
  return Clock::now() - a.last_output >= *specs_[i].silent_timeout;
}

void Runner::kill_due(Clock::time_point now) {
  std::erase_if(kill_deadlines_, [&](const KillDeadline& d) {
    if (d.at > now) return false;
    auto running = by_pid_.find(d.pgid);
    if (running == by_pid_.end()) {
      kill(-d.pgid, SIGKILL);  // stragglers of a finished step
      watchdog_.unwatch(d.pgid);
    } else if (active_[running->second].stop != StopReason::none) {
      kill(-d.pgid, SIGKILL);
      signal_descendants(d.pgid, SIGKILL);
    }  // else the id now belongs to a new step: leave it alone
    return true;
  });
  if (kill_all_at_ && *kill_all_at_ <= now) {
    for (auto [pid, i] : by_pid_) kill(-pid, SIGKILL);
    signal_descendants(getpid(), SIGKILL);
  }
}

int Runner::wait_timeout_ms() const {
  auto now = Clock::now();
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
  if (!next) return -1;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(*next - now).count();
  return ms < 0 ? 0 : static_cast<int>(ms);
}

// A failure of parstep itself (not of a step): say so, and end the run the
// way an interrupt does, so that no process is left behind.
void Runner::fail_internally(const std::exception& e) {
  tell(std::string("parstep: error: ") + e.what() + "\n");
  internal_error_ = true;
  if (!stopped_all_) stop_all();
}

}  // namespace parstep
