#pragma once
// A StepProcesses for tests, after ninja's FakeCommandRunner: it forks
// nothing and keeps a fake clock. Each step (known by its PARSTEP_STEP name)
// follows a script: after so long, print these bytes; after so long, exit
// with this status. Time passes only when the Runner waits and nothing is
// ready: the clock jumps to the next scripted action or to the Runner's
// wake-up, whichever comes first. Output really goes through the Runner's
// pipes and spools: the fake writes into the descriptor the step was given.

#include <sys/stat.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "step_processes.h"

namespace parstep::testing {

using namespace std::chrono_literals;

/// What one attempt of a step does, in order.
class Script {
 public:
  Script& prints(std::string text);
  Script& after(Clock::duration wait);
  Script& exits(int code);
  Script& ignores_sigterm();  ///< only SIGKILL ends it
  /// Leaves a process in its group when the main process exits (a
  /// background job); it ends on SIGKILL, or SIGTERM unless `ignoring_sigterm`.
  Script& leaves_straggler(bool ignoring_sigterm);
  /// Fails to start, as posix_spawn would with `error` (EMFILE, EAGAIN, ENOENT).
  Script& cannot_start(int error);

  struct Action {
    Clock::duration at;  ///< after its start
    std::string text;    ///< printed, when `exit` is not set
    std::optional<int> exit;
  };
  std::vector<Action> actions;
  Clock::duration elapsed{};
  bool ignore_term = false;
  std::optional<bool> straggler;  ///< set: leaves one, which ignores SIGTERM when true
  int start_error = 0;
};

class FakeProcesses final : public StepProcesses {
 public:
  /// The script for `step`'s attempt `attempt` (1-based); later attempts
  /// without one repeat the last one given.
  Script& step(const std::string& name, unsigned attempt = 1);
  /// The next `count` captures fail to open with `error` (EMFILE...).
  void fail_captures(int error, unsigned count) { capture_error_ = error, captures_to_fail_ = count; }
  /// parstep receives `signal` this long after the fake's start.
  void signal_at(Clock::duration at, int signal) { incoming_.emplace(start_ + at, signal); }
  /// How long parstep stays stopped when it stops itself (Ctrl-Z).
  Clock::duration stopped_for{};

  // What the Runner did, for the tests to check.
  Clock::time_point started_at() const { return start_; }
  std::vector<std::string> started;  ///< step names, in start order (every attempt)
  std::vector<std::string> signalled;  ///< "name SIGTERM", in order sent
  std::size_t most_running = 0;
  std::set<pid_t> guarded;  ///< watchdog: groups watched and not unwatched
  bool said_goodbye = false;
  /// Called on each start with the number of steps running (itself included).
  std::function<void(const std::string&, std::size_t)> on_start;

  Clock::time_point now() override { return now_; }
  /// A pipe, said to be a pty when one is asked for and `ptys` is set.
  Capture open_capture(bool pty, std::initializer_list<int> terminals) override;
  bool ptys = true;
  pid_t spawn(SpawnRequest request) override;
  void watch_output(std::size_t step, int fd) override;
  void watch_queue(int fd) override;
  void watch_jobserver(int fd) override { jobserver_fd_ = fd; }
  bool watch_stdout(int) override { return false; }
  void unwatch(int fd) override { watched_.erase(fd); }
  std::vector<ProcessEvent> wait(std::optional<Clock::time_point> wake_by) override;
  Reaped reap_one() override;
  bool signal_group(pid_t pgid, int signal) override;
  void signal_process(pid_t pid, int signal) override { signal_group(pid, signal); }
  void signal_descendants(pid_t root, int signal) override;
  std::vector<ProcessInfo> process_table() override { return {}; }
  std::vector<pid_t> children() override;
  void stop_self(int) override { now_ += stopped_for; }
  std::string hang_report(const std::string& step, pid_t, std::chrono::milliseconds, const std::string&) override {
    return "hang report: " + step + "\n";
  }
  void guard(pid_t pgid) override { guarded.insert(pgid); }
  void unguard(pid_t pgid) override { guarded.erase(pgid); }
  void goodbye() override { said_goodbye = true; }

 private:
  struct Process {
    std::string name;
    Fd output;
    Clock::time_point started;
    const Script* script;
    std::size_t next = 0;  ///< next action
    bool alive = true;
    bool straggling = false;  ///< its straggler is still in the group
    std::optional<int> wait_status;  ///< set when it ended and was not reaped
    std::optional<Clock::time_point> stopped_at;  ///< SIGSTOP: its script waits
  };
  std::optional<Clock::time_point> next_action() const;
  void act_until(Clock::time_point t);
  void end(Process& p, int wait_status);
  std::vector<ProcessEvent> ready();

  const Clock::time_point start_ = Clock::time_point{} + std::chrono::hours(1000);
  Clock::time_point now_ = start_;
  std::map<std::string, std::vector<Script>> scripts_;
  std::map<pid_t, Process> processes_;
  struct Straggler {
    std::string name;  ///< its step's
    bool ignores_term;
  };
  std::map<pid_t, Straggler> stragglers_;  ///< by process group, once the step's main process is reaped
  std::map<std::string, unsigned> attempts_;
  struct Watched {
    std::size_t step;
    ino_t pipe;  ///< a closed descriptor's number may come back for another file
  };
  std::map<int, Watched> watched_;  ///< step captures by read end
  unsigned idle_turns_ = 0;  ///< waits in a row that found something ready
  int jobserver_fd_ = -1;
  std::vector<int> signals_;  ///< pending for the next wait
  std::multimap<Clock::time_point, int> incoming_;  ///< signal_at()
  pid_t next_pid_ = 1000;
  int capture_error_ = 0;
  unsigned captures_to_fail_ = 0;
};

}  // namespace parstep::testing
