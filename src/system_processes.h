#pragma once
// The real StepProcesses: epoll, posix_spawn, waitpid, kill, a signalfd and
// the watchdog. While one exists the process is a child subreaper with the
// signals SignalWatch names blocked; both are put back as they were when it
// is destroyed, so that a program may run the library more than once.

#include "pty.h"
#include "signals.h"
#include "step_processes.h"
#include "watchdog.h"

namespace parstep {

class SystemProcesses final : public StepProcesses {
 public:
  SystemProcesses();
  ~SystemProcesses() override;
  SystemProcesses(const SystemProcesses&) = delete;
  SystemProcesses& operator=(const SystemProcesses&) = delete;

  Clock::time_point now() override { return Clock::now(); }
  Capture open_capture(bool pty, std::initializer_list<int> terminals) override;
  pid_t spawn(SpawnRequest request) override;
  void watch_output(std::size_t step, int fd) override;
  void watch_queue(int fd) override;
  void watch_jobserver(int fd) override;
  bool watch_stdout(int fd) override;
  void unwatch(int fd) override;
  std::vector<ProcessEvent> wait(std::optional<Clock::time_point> wake_by) override;
  Reaped reap_one() override;
  bool signal_group(pid_t pgid, int signal) override;
  void signal_process(pid_t pid, int signal) override;
  void signal_descendants(pid_t root, int signal) override;
  std::vector<ProcessInfo> process_table() override { return read_process_table(); }
  std::vector<pid_t> children() override;
  void stop_self(int signal) override { parstep::stop_self(signal); }
  std::string hang_report(const std::string& step, pid_t pid, std::chrono::milliseconds silent_for,
                          const std::string& tail) override;
  void guard(pid_t pgid) override { watchdog_.watch(pgid); }
  void unguard(pid_t pgid) override { watchdog_.unwatch(pgid); }
  void goodbye() override { watchdog_.goodbye(); }

 private:
  void add(int fd, std::uint32_t events, std::uint64_t tag);

  /// Whether the caller was a subreaper; it is not one while the watchdog
  /// forks (else the watchdog would be its child, and waited for).
  int was_subreaper_;
  Fd children_;  ///< /proc/self/task/TID/children of the thread that runs, kept open
  Watchdog watchdog_;  ///< forked before the process becomes a subreaper
  SignalWatch signals_;
  Fd epoll_;
  bool jobserver_added_ = false;
  PtySource ptys_;  ///< --pty
  Fd dev_null_;     ///< every step's stdin: one open, not one per step
  Spawner spawner_;
};

}  // namespace parstep
