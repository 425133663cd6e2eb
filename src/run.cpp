#include "run.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "fd.h"
#include "line_splitter.h"
#include "proctree.h"
#include "scheduler.h"
#include "sequencer.h"
#include "signals.h"
#include "sink.h"
#include "subprocess.h"
#include "spool.h"
#include "summary.h"

namespace parstep {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kSignalTag = ~std::uint64_t{0};
constexpr std::uint64_t kQueueTag = kSignalTag - 1;
constexpr std::size_t kTailLines = 10;
constexpr auto kKillRetry = std::chrono::milliseconds(50);

/// A step between start and end: its process and its capture.
struct Active {
  pid_t pid = 0;  ///< main process, also its process group id; 0 once reaped
  Fd pipe;        ///< read end of its stdout+stderr while capturing
  std::optional<Spool> spool;
  Clock::time_point started;
  bool stopping = false;      ///< parstep sent it SIGTERM
  std::string capture_error;  ///< why its output could not be kept
  std::uint64_t printed = 0;  ///< spool bytes already on stdout (live or line mode)
  LineSplitter lines;
};

/// SIGKILL for a process group at `at`: a stopped step's (and its
/// descendants'), or the stragglers left in a finished step's group.
struct KillDeadline {
  pid_t pgid;
  Clock::time_point at;
};

class Runner {
 public:
  Runner(std::vector<StepSpec> steps, QueueReader* queue, const RunOptions& options, int out_fd,
         int err_fd);
  RunOutcome run();

 private:
  void add_step(StepSpec spec);
  void read_queue();
  void start(Launch launch);
  void dispatch(const epoll_event& event);
  void on_signals();
  bool reap();
  void capture(std::size_t index);
  bool capture_block(std::size_t index);
  bool capture_lines(std::size_t index);
  void main_exited(std::size_t index, ExitStatus status);
  void finish(std::size_t index, StepStatus status);
  void abandon_waiting();
  void stop_step(std::size_t index, const std::vector<ProcessInfo>& table);
  void stop_all();
  void fail_internally(const std::exception& e);
  void kill_due();
  bool nothing_left_to_start() const;
  int wait_timeout_ms() const;

  void carry_out(const std::vector<Emit>& emits);
  void print_block(std::size_t index, bool with_result);
  void print_new_output(std::size_t index);
  void end_block(std::size_t index);
  void print_lines(std::size_t index, std::string_view chunk, std::uint64_t chunk_offset,
                   const std::vector<LineSplitter::Line>& lines);
  void print_final_line(std::size_t index);
  void replay_lines(std::size_t index);
  template <class F> void print(F&& write);
  std::string header(std::size_t index, bool with_result) const;
  std::string prefix(std::size_t index) const;

  RunOptions opt_;
  Sink out_;
  int err_fd_;
  QueueReader* queue_;
  Scheduler sched_;
  Sequencer seq_;
  SignalWatch signals_;
  Environment env_ = Environment::inherited();
  Fd epoll_;

  std::vector<StepSpec> specs_;
  std::vector<StepResult> results_;
  std::vector<Active> active_;
  std::vector<std::string> tails_;
  std::unordered_map<pid_t, std::size_t> by_pid_;  ///< running steps' main processes

  std::vector<KillDeadline> kill_deadlines_;
  std::optional<Clock::time_point> kill_all_at_;  ///< SIGKILL every descendant from then on
  bool stopped_all_ = false;
  bool cleaning_up_ = false;
  int interrupt_ = 0;     ///< the first SIGINT/SIGTERM/SIGHUP received
  int output_error_ = 0;  ///< errno of a failed write to stdout
  bool internal_error_ = false;
};

Runner::Runner(std::vector<StepSpec> steps, QueueReader* queue, const RunOptions& options,
               int out_fd, int err_fd)
    : opt_(options),
      out_(out_fd),
      err_fd_(err_fd),
      queue_(queue),
      sched_(options.jobs, options.on_error),
      seq_(options.output == OutputMode::ordered,
           options.output == OutputMode::ordered && !options.output_on_failure) {
  become_child_subreaper();
  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) throw_errno("epoll_create1");
  epoll_ = Fd(ep);
  epoll_event ev{EPOLLIN, {.u64 = kSignalTag}};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, signals_.fd(), &ev) != 0) throw_errno("epoll_ctl");
  for (auto& spec : steps) add_step(std::move(spec));
  if (queue_ != nullptr) {
    epoll_event qev{EPOLLIN, {.u64 = kQueueTag}};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, queue_->fd(), &qev) != 0) {
      // Regular files and /dev/null cannot be polled; reading them never blocks.
      while (!queue_->at_end()) read_queue();
    }
  }
}

void Runner::add_step(StepSpec spec) {
  specs_.push_back(std::move(spec));
  results_.emplace_back();
  active_.emplace_back();
  tails_.emplace_back();
  sched_.add_step();
  seq_.add_step();
}

void Runner::read_queue() {
  for (auto& spec : queue_->read()) add_step(std::move(spec));
  if (queue_->at_end()) epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, queue_->fd(), nullptr);
}

RunOutcome Runner::run() {
  // The event loop. Each turn: start what capacity allows -> decide whether
  // the run is over -> wait for one batch of events (signals, step output,
  // queue input; a timeout only when a kill deadline is pending) -> handle
  // them: reap children, capture and print output, stop steps on failure ->
  // carry out kill deadlines that have come. When no step runs and none can
  // start, leftover descendants are stopped and the loop ends once parstep
  // has no child left, which (being a child subreaper) means no descendant.
  for (;;) {
    while (sched_.can_start()) start(sched_.start());
    if (sched_.running() == 0 && nothing_left_to_start()) {
      if (!reap()) break;
      if (!cleaning_up_) {
        cleaning_up_ = true;
        signal_descendants(getpid(), SIGTERM);
        if (!kill_all_at_) kill_all_at_ = Clock::now() + opt_.kill_after;
      }
    }
    epoll_event events[64];
    int n = epoll_wait(epoll_.get(), events, 64, wait_timeout_ms());
    if (n < 0 && errno != EINTR) throw_errno("epoll_wait");
    for (int i = 0; i < n; ++i) {
      try {
        dispatch(events[i]);
      } catch (const std::exception& e) {
        fail_internally(e);
      }
    }
    if (output_error_ != 0 && !stopped_all_) stop_all();
    kill_due();
  }

  RunOutcome outcome;
  outcome.exit_code = 0;
  for (const auto& r : results_) outcome.exit_code = r.succeeded() ? outcome.exit_code : 1;
  std::string summary = format_summary(specs_, results_, tails_);
  if (output_error_ != 0 && output_error_ != EPIPE)
    summary += std::string("parstep: error: write to stdout: ") + strerror(output_error_) + "\n";
  if (!summary.empty() && write(err_fd_, summary.data(), summary.size()) < 0) {
    // stderr is gone too; nothing more to tell
  }
  outcome.signal = interrupt_ != 0 ? interrupt_ : output_error_ == EPIPE ? SIGPIPE : 0;
  if (output_error_ != 0 || internal_error_) outcome.exit_code = 1;
  outcome.steps = std::move(specs_);
  outcome.results = std::move(results_);
  return outcome;
}

bool Runner::nothing_left_to_start() const {
  if (sched_.stopping()) return true;
  return sched_.waiting() == 0 && (queue_ == nullptr || queue_->at_end());
}

void Runner::start(Launch launch) {
  std::size_t i = launch.index;
  const StepSpec& spec = specs_[i];
  Active& a = active_[i];
  StepResult& r = results_[i];
  r.slot = launch.slot;
  r.attempts += 1;
  a.started = Clock::now();
  auto fail = [&](const std::string& error) {
    r.error = error;
    r.duration = Clock::now() - a.started;
    finish(i, StepStatus::error);
  };

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return fail(std::string("could not start: pipe: ") + strerror(errno));
  Fd write_end(fds[1]);
  a.pipe = Fd(fds[0]);
  fcntl(fds[0], F_SETFL, O_NONBLOCK);
  try {
    a.spool = Spool::create();
    SpawnRequest request;
    request.argv = spec.is_argv() ? spec.argv
                                  : std::vector<std::string>{opt_.shell, "-c", spec.command};
    auto extra = spec.env;
    extra.emplace_back("PARSTEP_STEP", spec.name);
    extra.emplace_back("PARSTEP_INDEX", std::to_string(i));
    extra.emplace_back("PARSTEP_SLOT", std::to_string(launch.slot));
    request.env = env_.with(extra);
    request.cwd = spec.cwd;
    request.output_fd = write_end.get();
    request.mask = &signals_.child_mask();
    request.defaults = &signals_.child_defaults();
    a.pid = spawn_process(request);
  } catch (const std::system_error& e) {
    a.pipe.reset();
    return fail(std::string("could not start: ") + e.what());
  }
  by_pid_[a.pid] = i;
  epoll_event ev{EPOLLIN, {.u64 = i}};
  epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, a.pipe.get(), &ev);
  carry_out(seq_.started(i));
}

void Runner::dispatch(const epoll_event& event) {
  if (event.data.u64 == kSignalTag) {
    on_signals();
  } else if (event.data.u64 == kQueueTag) {
    if (!sched_.stopping()) read_queue();
  } else if (active_[event.data.u64].pipe) {
    capture(event.data.u64);
  }
}

void Runner::on_signals() {
  for (int signal : signals_.take()) {
    if (signal == SIGCHLD) {
      reap();
    } else if (interrupt_ == 0) {
      interrupt_ = signal;
      stop_all();
    } else {
      kill_all_at_ = Clock::now();  // asked twice: no more grace
    }
  }
}

// Waits for every child that has exited; steps' main processes end their
// step, anything else (an orphan handed to parstep) is just collected.
// Returns whether parstep still has children.
bool Runner::reap() {
  for (;;) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      auto it = by_pid_.find(pid);
      if (it != by_pid_.end()) main_exited(it->second, ExitStatus::from_wait(status));
    } else if (pid == 0) {
      return true;
    } else if (errno != EINTR) {
      return false;
    }
  }
}

// Moves what the step's pipe holds into its spool; prints what its output
// mode allows now. Closes the pipe at end of file. When the spool cannot
// take more (a full disk), the step is stopped: its output is incomplete.
void Runner::capture(std::size_t i) {
  Active& a = active_[i];
  try {
    if (opt_.output == OutputMode::line ? capture_lines(i) : capture_block(i)) a.pipe.reset();
  } catch (const std::system_error& e) {
    a.capture_error = std::string("output could not be kept: ") + e.code().message();
    a.pipe.reset();
    if (a.pid != 0) stop_step(i, read_process_table());
  }
}

// Returns whether the pipe reached end of file.
bool Runner::capture_block(std::size_t i) {
  Active& a = active_[i];
  Spool::Fill fill = a.spool->fill_from(a.pipe.get());
  if (seq_.live() == i && !a.stopping) print_new_output(i);
  return fill == Spool::Fill::eof;
}

bool Runner::capture_lines(std::size_t i) {
  Active& a = active_[i];
  char buffer[65536];
  ssize_t n;
  do n = read(a.pipe.get(), buffer, sizeof buffer);
  while (n < 0 && errno == EINTR);
  if (n < 0 && errno == EAGAIN) return false;
  if (n < 0) throw_errno("read step output");
  if (n == 0) return true;
  std::string_view chunk(buffer, static_cast<std::size_t>(n));
  std::uint64_t offset = a.spool->size();
  a.spool->append(chunk);
  std::vector<LineSplitter::Line> lines;
  a.lines.feed(chunk, lines);
  if (!opt_.output_on_failure && !a.stopping) print_lines(i, chunk, offset, lines);
  return false;
}

void Runner::main_exited(std::size_t i, ExitStatus status) {
  Active& a = active_[i];
  by_pid_.erase(a.pid);
  // Everything the main process wrote is in the pipe now; whoever else holds
  // the pipe open (a background process) must not keep the step alive.
  while (a.pipe) {
    std::uint64_t before = a.spool->size();
    capture(i);
    if (a.spool->size() == before) break;
  }
  a.pipe.reset();
  if (kill(-a.pid, SIGTERM) == 0) kill_deadlines_.push_back({a.pid, Clock::now() + opt_.kill_after});
  a.pid = 0;

  StepResult& r = results_[i];
  r.exit = status;
  r.duration = Clock::now() - a.started;
  r.output_bytes = a.spool->size();
  if (!a.capture_error.empty()) {
    r.error = a.capture_error;
    return finish(i, StepStatus::error);
  }
  finish(i, a.stopping ? StepStatus::stopped : status.success() ? StepStatus::ok : StepStatus::failed);
}

void Runner::finish(std::size_t i, StepStatus status) {
  results_[i].status = status;
  Active& a = active_[i];
  bool dropped = status == StepStatus::stopped;
  if (status != StepStatus::ok && !dropped && a.spool) tails_[i] = a.spool->tail(kTailLines);
  bool halt = sched_.finished(i, status == StepStatus::ok);
  if (opt_.output == OutputMode::line) {
    if (!dropped) opt_.output_on_failure ? replay_lines(i) : print_final_line(i);
  } else {
    carry_out(seq_.finished(i, dropped));  // the spool is released once its block is printed
  }
  if (dropped || opt_.output == OutputMode::line) a.spool.reset();
  if (halt) stop_all();
  else if (sched_.stopping()) abandon_waiting();
}

// Steps that will now never start: marked so, skipped in the output order;
// queued input is no longer read.
void Runner::abandon_waiting() {
  for (std::size_t i : sched_.take_waiting()) {
    results_[i].status = StepStatus::not_started;
    if (opt_.output != OutputMode::line) carry_out(seq_.finished(i, true));
  }
  if (queue_ != nullptr && !queue_->at_end()) epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, queue_->fd(), nullptr);
}

// Starts nothing more and stops every running step: SIGTERM to its process
// group and to its descendants in other groups now, SIGKILL at kill_all_at_.
void Runner::stop_all() {
  stopped_all_ = true;
  sched_.stop();
  abandon_waiting();
  auto table = read_process_table();
  for (auto [pid, i] : by_pid_) stop_step(i, table);
  if (!kill_all_at_) kill_all_at_ = Clock::now() + opt_.kill_after;
}

// SIGTERM to the step's process group and to its descendants that left the
// group; SIGKILL to both after --kill-after.
void Runner::stop_step(std::size_t i, const std::vector<ProcessInfo>& table) {
  Active& a = active_[i];
  if (a.stopping) return;
  a.stopping = true;
  kill(-a.pid, SIGTERM);
  for (pid_t d : descendants(table, a.pid)) kill(d, SIGTERM);
  kill_deadlines_.push_back({a.pid, Clock::now() + opt_.kill_after});
}

// A failure of parstep itself (not of a step): say so, and end the run the
// way an interrupt does, so that no process is left behind.
void Runner::fail_internally(const std::exception& e) {
  std::string message = std::string("parstep: error: ") + e.what() + "\n";
  if (write(err_fd_, message.data(), message.size()) < 0) {
    // stderr is gone; the exit status still tells
  }
  internal_error_ = true;
  if (!stopped_all_) stop_all();
}

void Runner::kill_due() {
  auto now = Clock::now();
  std::erase_if(kill_deadlines_, [&](const KillDeadline& d) {
    if (d.at > now) return false;
    auto running = by_pid_.find(d.pgid);
    if (running == by_pid_.end()) {
      kill(-d.pgid, SIGKILL);  // stragglers of a finished step
    } else if (active_[running->second].stopping) {
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
  std::optional<Clock::time_point> next = kill_all_at_;
  if (next && *next <= Clock::now()) next = Clock::now() + kKillRetry;
  for (const auto& d : kill_deadlines_)
    if (!next || d.at < *next) next = d.at;
  if (!next) return -1;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now()).count();
  return ms < 0 ? 0 : static_cast<int>(ms);
}

// ---- output ----

template <class F> void Runner::print(F&& write) {
  if (output_error_ != 0) return;
  try {
    write();
  } catch (const SinkError& e) {
    output_error_ = e.error;
  }
}

void Runner::carry_out(const std::vector<Emit>& emits) {
  for (const Emit& e : emits) {
    switch (e.kind) {
      case Emit::Kind::whole:
        print_block(e.index, true);
        active_[e.index].spool.reset();
        break;
      case Emit::Kind::open: print_block(e.index, false); break;
      case Emit::Kind::close:
        if (!e.drop) print_new_output(e.index);
        end_block(e.index);
        active_[e.index].spool.reset();
        break;
    }
  }
}

std::string Runner::header(std::size_t i, bool with_result) const {
  std::string h = "==> " + display_name(specs_[i].name);
  if (with_result) {
    const StepResult& r = results_[i];
    h += " (" + (r.succeeded() ? std::string("ok") : "FAILED: " + r.describe()) + ", " +
         format_duration(r.duration) + ")";
  }
  return h + "\n";
}

// A finished step's whole block (with_result), or the start of a live one.
void Runner::print_block(std::size_t i, bool with_result) {
  if (!opt_.no_header) print([&] { out_.write(header(i, with_result)); });
  bool hide = with_result && opt_.output_on_failure && results_[i].succeeded();
  if (!hide) print_new_output(i);
  if (with_result && !hide) end_block(i);
}

void Runner::print_new_output(std::size_t i) {
  Active& a = active_[i];
  if (!a.spool || a.printed == a.spool->size()) return;
  print([&] { out_.copy(a.spool->fd(), a.printed, a.spool->size() - a.printed); });
  a.printed = a.spool->size();
}

// A block that does not end with a newline gets one (unless --no-header).
void Runner::end_block(std::size_t i) {
  Active& a = active_[i];
  if (opt_.no_header || !a.spool || a.printed == 0) return;
  if (a.spool->read(a.printed - 1, 1) != "\n") print([&] { out_.write("\n"); });
}

std::string Runner::prefix(std::size_t i) const {
  return opt_.no_header ? std::string() : "[" + display_name(specs_[i].name) + "] ";
}

// Line mode: prints each completed line with its prefix in one write. A line
// that began in an earlier chunk is taken from the spool.
void Runner::print_lines(std::size_t i, std::string_view chunk, std::uint64_t chunk_offset,
                         const std::vector<LineSplitter::Line>& lines) {
  Active& a = active_[i];
  std::string text;
  for (const auto& line : lines) {
    text += prefix(i);
    if (line.begin < chunk_offset) {
      print([&] {
        out_.write(text);
        out_.copy(a.spool->fd(), line.begin, chunk_offset - line.begin);
      });
      text.clear();
    }
    std::uint64_t from = line.begin < chunk_offset ? chunk_offset : line.begin;
    text.append(chunk.substr(from - chunk_offset, line.end - from));
    a.printed = line.end;
  }
  if (!text.empty()) print([&] { out_.write(text); });
}

void Runner::print_final_line(std::size_t i) {
  Active& a = active_[i];
  auto last = a.lines.finish();
  if (!last || !a.spool) return;
  print([&] {
    out_.write(prefix(i));
    out_.copy(a.spool->fd(), last->begin, last->end - last->begin);
    if (!opt_.no_header) out_.write("\n");
  });
}

// Line mode with --output-on-failure: a failed step's lines, all at its end.
void Runner::replay_lines(std::size_t i) {
  Active& a = active_[i];
  if (results_[i].succeeded() || !a.spool) return;
  a.lines = LineSplitter();
  for (std::uint64_t offset = 0; offset < a.spool->size();) {
    std::string chunk = a.spool->read(offset, 65536);
    std::vector<LineSplitter::Line> lines;
    a.lines.feed(chunk, lines);
    print_lines(i, chunk, offset, lines);
    offset += chunk.size();
  }
  print_final_line(i);
}

}  // namespace

RunOutcome run(std::vector<StepSpec> steps, QueueReader* queue, const RunOptions& options,
               int out_fd, int err_fd) {
  return Runner(std::move(steps), queue, options, out_fd, err_fd).run();
}

}  // namespace parstep
