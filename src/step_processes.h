#pragma once
// The seam between the Runner's logic and the operating system: everything
// the Runner asks of processes, descriptors readiness, signals and the
// clock goes through a StepProcesses. SystemProcesses (system_processes.h)
// is the real one (epoll, posix_spawn, waitpid, kill, a signalfd);
// tests/fake_processes.h is a fake that forks nothing and keeps a fake clock.

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <optional>
#include <variant>
#include <vector>

#include "fd.h"
#include "proctree.h"
#include "subprocess.h"

namespace parstep {

using Clock = std::chrono::steady_clock;

/// What the loop waits on, and what became ready.
struct SignalArrived { int signal; };        ///< SIGCHLD included: reap then
struct OutputReady { std::size_t step; };   ///< a step's capture is readable (or at end)
struct QueueReadable {};                    ///< the --queue input has more
struct TokenReadable {};                    ///< the jobserver pool may hold a token
struct StdoutWritable {};                   ///< the stdout reader takes more
using ProcessEvent = std::variant<SignalArrived, OutputReady, QueueReadable, TokenReadable, StdoutWritable>;

/// What one waitpid(-1, WNOHANG | WUNTRACED) found.
struct Reaped {
  enum class Kind { changed, none_yet, no_children } kind;
  pid_t pid = 0;
  int wait_status = 0;  ///< as waitpid() gives it (exited, killed or stopped)
};

/// Where a step's stdout and stderr go while it runs: a pipe, or with
/// --pty a pseudo-terminal (its master reads EIO at the end, once drained).
struct Capture {
  Fd read_end;   ///< non-blocking, close-on-exec
  Fd write_end;  ///< given to the step
  bool pty = false;
  std::string warning;  ///< a pty was asked for and none can be had (said once a run)
};

class StepProcesses {
 public:
  virtual ~StepProcesses() = default;

  virtual Clock::time_point now() = 0;

  // Starting. Both throw std::system_error (the errno tells a shortage).
  /// A pty when `pty` and one can be had (sized like the first of
  /// `terminals` that is a terminal), else a pipe.
  virtual Capture open_capture(bool pty, std::initializer_list<int> terminals) = 0;
  /// Starts a step's main process in a process group of its own; returns
  /// its pid (= its group's id).
  virtual pid_t spawn(SpawnRequest request) = 0;  ///< by value: the caller moves it in

  // Waiting. Watching a step's capture, the queue, the pool, stdout.
  virtual void watch_output(std::size_t step, int fd) = 0;
  virtual void watch_queue(int fd) = 0;  ///< throws when `fd` cannot be polled
  virtual void watch_jobserver(int fd) = 0;  ///< once: rearm after each wake
  virtual bool watch_stdout(int fd) = 0;  ///< false when `fd` cannot be polled
  virtual void unwatch(int fd) = 0;
  /// The next batch of events; none when `wake_by` came first.
  virtual std::vector<ProcessEvent> wait(std::optional<Clock::time_point> wake_by) = 0;
  virtual Reaped reap_one() = 0;

  // Signalling. signal_group() returns whether the group had a process.
  virtual bool signal_group(pid_t pgid, int signal) = 0;
  virtual void signal_process(pid_t pid, int signal) = 0;
  /// Every live descendant of `root` (0: of parstep itself).
  virtual void signal_descendants(pid_t root, int signal) = 0;
  virtual std::vector<ProcessInfo> process_table() = 0;
  /// parstep's own children, as pids.
  virtual std::vector<pid_t> children() = 0;
  /// Stops parstep with `signal` (SIGTSTP) and returns once continued.
  virtual void stop_self(int signal) = 0;
  /// What --silent-timeout prints of a hung step's process tree.
  virtual std::string hang_report(const std::string& step, pid_t pid, std::chrono::milliseconds silent_for,
                                  const std::string& tail) = 0;

  // The watchdog that outlives parstep (SPEC 4 v2).
  virtual void guard(pid_t pgid) = 0;
  virtual void unguard(pid_t pgid) = 0;
  virtual void goodbye() = 0;
};

}  // namespace parstep
