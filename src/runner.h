#pragma once
// Private to the library: the Runner behind run(), one class whose methods
// live by concern in run.cpp (the event loop, each step's end, retries),
// run_start.cpp (a jobserver slot, the capture and the process of a step),
// run_stop.cpp (stopping steps, limits, the SIGKILL deadlines),
// run_output.cpp (stdout, the progress line, the run's records),
// run_stdout.cpp (a slow stdout reader) and run_job_control.cpp (Ctrl-Z).
// It reaches the operating system only through a StepProcesses
// (step_processes.h): system_processes.cpp is the real one, tests use a fake.
//
// A map of src/:
//   the run     runner.h, run*.cpp; step_processes.h, system_processes.*
//   its parts   scheduler (slots, on-error, retries), sequencer (output
//               order), line_splitter, spool (capture), sink (stdout),
//               sgr_filter, progress, summary, hang_report, trace, report,
//               junit, ci_markers, log_dir, history, colour, messages
//   processes   subprocess (spawn, environment), plain_command,
//               program_cache, proctree (/proc), signals, watchdog, pty,
//               jobserver + jobserver_posix
//   before it   plan, command_line, jobserver_policy, output_paths,
//               surroundings, manifest + json_position, queue_reader,
//               argument_file, vocabulary, usage_error, options, step,
//               naming, words, duration, cpu_count
//   plumbing    fd, atomic_file, safe_path, exit_status

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ci_markers.h"
#include "fd.h"
#include "jobserver_posix.h"
#include "line_splitter.h"
#include "log_dir.h"
#include "proctree.h"
#include "plain_command.h"
#include "progress.h"
#include "queue_reader.h"
#include "run.h"
#include "scheduler.h"
#include "sequencer.h"
#include "sgr_filter.h"
#include "sink.h"
#include "spool.h"
#include "step_processes.h"
#include "subprocess.h"
#include "trace.h"

namespace parstep {

inline constexpr std::size_t kTailLines = 10;                  ///< output lines quoted on stderr
inline constexpr std::uint64_t kTailBytes = 8192;              ///< at most this much is read for them
inline constexpr std::uint64_t kLogRefused = ~std::uint64_t{0};  ///< Active::logged: no log for this step
inline constexpr auto kHeartbeat = std::chrono::seconds(60);    ///< silence before a heartbeat line
inline constexpr auto kKillRetry = std::chrono::milliseconds(50);  ///< SIGKILL again until all are gone

/// Why parstep is stopping a running step; decides the status it ends with.
enum class StopReason { none, halted, timed_out, hung, output_lost, terminal_io };

/// A step between start and end: its process and its capture.
struct Active {
  pid_t pid = 0;  ///< main process, also its process group id; 0 once reaped
  Fd pipe;        ///< read end of its stdout+stderr while capturing through a pipe (or a pty's master)
  bool direct = false;  ///< writes straight into its spool (nothing reads it while it runs)
  bool recyclable = false;  ///< its spool may be reused: no process of the step is left
  std::optional<Spool> spool;
  Clock::time_point first_started;
  Clock::time_point started;      ///< this attempt
  Clock::time_point last_output;  ///< for --silent-timeout
  StopReason stop = StopReason::none;
  std::string capture_error;  ///< why its output could not be kept, or why it stopped on the terminal
  bool has_slot = false;      ///< counted in slots_in_use_ (jobserver runs)
  std::uint64_t printed = 0;  ///< spool bytes already on stdout (live or line mode)
  Fd log;                     ///< --log-dir file, once opened (at the end, or to keep what is trimmed)
  std::uint64_t logged = 0;   ///< spool bytes already in `log`
  LineSplitter lines;
  std::optional<SgrFilter> sgr;  ///< --pty with colour off: what is printed of it loses its SGR sequences
};

/// SIGKILL for a process group at `at`: a stopped step's (and its
/// descendants'), or the stragglers left in a finished step's group.
struct KillDeadline {
  pid_t pgid;
  Clock::time_point at;
};

class Runner {
 public:
  /// Runs through `os` (which outlives it): the system's, or a test's fake.
  Runner(StepProcesses& os, std::vector<StepSpec> steps, QueueReader* queue, const RunOptions& options, int out_fd,
         int err_fd);
  RunOutcome run();

 private:
  // run.cpp: steps and processes
  void add_step(StepSpec spec);
  void read_queue();
  void start(Launch launch);
  Fd open_capture(std::size_t index);
  bool take_token();
  void give_back_token(std::size_t index);
  void dispatch(const ProcessEvent& event);
  void on_signal(int signal);
  void watch_stdout();
  void flush_stdout();
  bool stdout_backlogged();
  void stop_with_steps(int signal);
  void stopped_on_terminal(std::size_t index, int signal);
  void continue_steps();
  void wake_steps();
  void credit_pause(Clock::duration pause);
  bool reap();
  void capture(std::size_t index);
  bool capture_block(std::size_t index);
  bool capture_lines(std::size_t index);
  void main_exited(std::size_t index, ExitStatus status);
  bool retry(std::size_t index, StepStatus status);
  void finish(std::size_t index, StepStatus status);
  void abandon_waiting();
  void release_spool(std::size_t index);
  bool no_orphan_left() const;
  void stop_step(std::size_t index, const std::vector<ProcessInfo>& table, StopReason reason);
  void stop_all();
  void enforce_limits(Clock::time_point now);
  bool silent_after_reading(std::size_t index);
  void kill_due(Clock::time_point now);
  void fail_internally(const std::exception& e);
  bool nothing_left_to_start() const;
  StartRank start_rank(const StepSpec& spec) const;
  void save_history();
  std::optional<Clock::time_point> next_wake();
  RunOutcome outcome();

  // run_output.cpp: stdout, stderr, records
  bool output_dropped(std::size_t index) const;
  void drop_output(std::size_t index);
  void carry_out(const std::vector<Emit>& emits);
  void print_block(std::size_t index, bool with_result);
  void print_new_output(std::size_t index);
  void copy_output(std::size_t index, std::uint64_t offset, std::uint64_t length);
  void add_output(std::size_t index, std::string_view bytes, std::string& text);
  void end_block(std::size_t index);
  void print_lines(std::size_t index, std::string_view chunk, std::uint64_t chunk_offset,
                   const std::vector<LineSplitter::Line>& lines);
  void print_final_line(std::size_t index);
  void replay_lines(std::size_t index);
  void print_line_mode_end(std::size_t index);
  template <class F> void print(F&& write);
  template <class F> void print_step_output(std::size_t index, F&& write);
  void tell(const std::string& message);
  std::string header(std::size_t index, bool with_result) const;
  void open_block(std::size_t index, bool with_result);
  void close_block(std::size_t index, bool folded);
  void keep_junit_output(std::size_t index);
  void write_junit();
  void write_step_summary();
  std::string prefix(std::size_t index) const;
  void update_progress(Clock::time_point now);
  std::string eta(Clock::time_point now) const;
  void keep_log(std::size_t index, std::uint64_t end);
  void trim_spool(std::size_t index);
  std::vector<RunningStep> running_steps(Clock::time_point now) const;
  void heartbeat(Clock::time_point now);
  void record_attempt(std::size_t index, StepStatus status);
  bool write_records(int exit_code);

  StepProcesses& os_;
  RunOptions opt_;
  Sink out_;
  int err_fd_;
  QueueReader* queue_;
  bool hold_lines_;  ///< line mode prints a step's lines only when it ends
  Scheduler sched_;
  Sequencer seq_;
  Environment env_ = Environment::inherited();  ///< plus the run-wide additions (colour, MAKEFLAGS)
  bool stdout_in_epoll_ = false;  ///< waiting for the reader to take the sink's backlog
  /// Jobserver runs: steps running on a slot, and the tokens held for them.
  /// The first runs on parstep's implicit slot, so tokens_.size() ==
  /// slots_in_use_ - 1 (0 when none runs): a token is not tied to a step.
  std::size_t slots_in_use_ = 0;
  std::vector<JobToken> tokens_;
  bool resources_short_ = false;  ///< a start failed for want of descriptors, processes or memory: wait for an end
  std::optional<ProgressLine> progress_;
  Clock::time_point last_said_;  ///< last write to stdout or stderr, for heartbeats
  CiMarkers ci_;  ///< platform none in line mode and with --no-header
  /// --junit: each step's last output bytes, kept outside memory until the
  /// file is written; by step, offset and length in it.
  std::optional<Spool> junit_out_;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> junit_ranges_;
  std::optional<LogDir> log_dir_;
  SpoolPool spools_{16};
  DirectStarts direct_starts_;  ///< shell steps that need no shell
  std::vector<Emit> deferred_;  ///< group mode: blocks to print once free slots are refilled

  std::vector<StepSpec> specs_;
  std::vector<StepResult> results_;
  std::vector<Active> active_;
  std::vector<std::string> tails_;  ///< by step: last lines, for the summary
  std::vector<std::optional<std::chrono::milliseconds>> expected_;  ///< by step: what the history expects
  std::vector<std::string> logs_;   ///< by step: --log-dir file
  std::unordered_map<pid_t, std::size_t> by_pid_;  ///< running steps' main processes
  std::size_t done_ = 0;

  std::vector<KillDeadline> kill_deadlines_;
  std::optional<Clock::time_point> kill_all_at_;  ///< SIGKILL every descendant from then on
  bool stopped_all_ = false;
  bool cleaning_up_ = false;
  int interrupt_ = 0;     ///< the first SIGINT/SIGTERM/SIGHUP received
  int output_error_ = 0;  ///< errno of a failed write to stdout
  bool internal_error_ = false;
  std::optional<Clock::time_point> wake_by_;  ///< when the loop's current wait times out, if it does

  Clock::time_point run_started_;
  std::chrono::system_clock::time_point run_started_wall_ = std::chrono::system_clock::now();
  std::vector<TraceEvent> trace_;
};

}  // namespace parstep
