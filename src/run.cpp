#include "run.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "history.h"
#include "messages.h"
#include "runner.h"
#include "summary.h"
#include "system_processes.h"

namespace parstep {
namespace {

bool any_retries(const std::vector<StepSpec>& steps, const QueueReader* queue) {
  if (queue != nullptr && queue->may_retry()) return true;
  for (const auto& s : steps)
    if (s.retries > 0) return true;
  return false;
}

}  // namespace

Runner::Runner(StepProcesses& os, std::vector<StepSpec> steps, QueueReader* queue, const RunOptions& options,
               int out_fd, int err_fd)
    : os_(os),
      opt_(options),
      out_(Sink::without_waiting(out_fd)),
      err_fd_(err_fd),
      queue_(queue),
      hold_lines_(options.output_on_failure || any_retries(steps, queue)),
      sched_(options.jobs, options.on_error),
      seq_(options.output == OutputMode::ordered, options.output == OutputMode::ordered && !hold_lines_) {
  last_said_ = run_started_ = os_.now();
  if (opt_.progress == ProgressMode::terminal) progress_.emplace(err_fd_);
  if (opt_.output != OutputMode::line && !opt_.no_header) ci_ = {opt_.ci, random_token()};
  if (!opt_.junit_path.empty()) junit_out_.emplace(Spool::create());
  if (opt_.jobserver && opt_.jobserver->makeflags()) opt_.env.emplace_back("MAKEFLAGS", *opt_.jobserver->makeflags());
  env_ = Environment(env_.without(opt_.env_unset).with(opt_.env));  // once: each step then adds only its own
  if (!opt_.log_dir.empty()) log_dir_.emplace(opt_.log_dir);
  for (auto& spec : steps) add_step(std::move(spec));  // queue mode has none: its lines start as they come
  if (queue_ != nullptr) {
    try {
      os_.watch_queue(queue_->fd());
    } catch (const std::system_error&) {
      // Regular files and /dev/null cannot be polled; reading them never blocks.
      while (!queue_->at_end()) read_queue();
    }
  }
}

void Runner::add_step(StepSpec spec) {
  if (log_dir_) logs_.push_back(log_dir_->path_for(spec.name));
  specs_.push_back(std::move(spec));
  results_.emplace_back();
  active_.emplace_back();
  tails_.emplace_back();
  expected_.push_back(opt_.history ? opt_.history->expected(specs_.back()) : std::nullopt);
  junit_ranges_.emplace_back();
  sched_.add_step(start_rank(specs_.back()));
  seq_.add_step();
}

void Runner::read_queue() {
  for (auto& spec : queue_->read()) add_step(std::move(spec));
  if (queue_->at_end()) os_.unwatch(queue_->fd());
}

RunOutcome Runner::run() {
  // The event loop. Each turn: start what capacity allows -> decide whether
  // the run is over -> wait for one batch of events (signals, step output,
  // queue input; a timeout only when a deadline is pending: a time limit, a
  // SIGKILL, a progress redraw) -> handle them: reap children, capture and
  // print output, stop steps on failure -> enforce limits and deadlines that
  // have come. When no step runs and none can start, leftover descendants
  // are stopped, and the loop ends once parstep has no child left, which
  // (being a child subreaper) means no descendant is left.
  for (;;) {
    while (sched_.can_start() && !resources_short_ && take_token()) start(sched_.start());
    // Blocks are printed after free slots are refilled, so that copying a
    // large block out does not leave a CPU without a step.
    carry_out(std::exchange(deferred_, {}));
    if (output_error_ != 0 && !stopped_all_) stop_all();
    if (sched_.running() == 0 && nothing_left_to_start()) {
      if (!reap() && !stdout_backlogged()) break;
      if (!cleaning_up_) {
        cleaning_up_ = true;
        os_.signal_descendants(0, SIGTERM);
        if (!kill_all_at_) kill_all_at_ = os_.now() + opt_.kill_after;
      }
    }
    if (progress_) update_progress(os_.now());
    watch_stdout();
    if (opt_.progress == ProgressMode::heartbeat) heartbeat(os_.now());
    wake_by_ = next_wake();
    for (const ProcessEvent& event : os_.wait(wake_by_)) {
      try {
        dispatch(event);
      } catch (const std::exception& e) {
        fail_internally(e);
      }
    }
    if (output_error_ != 0 && !stopped_all_) stop_all();
    auto now = os_.now();
    enforce_limits(now);
    kill_due(now);
  }
  os_.goodbye();  // no descendant is left: nothing for it to kill
  carry_out(std::exchange(deferred_, {}));
  if (progress_) progress_->erase();
  return outcome();
}

RunOutcome Runner::outcome() {
  RunOutcome o;
  for (const auto& r : results_) o.exit_code = r.succeeded() ? o.exit_code : 1;
  if (output_error_ != 0 || internal_error_) o.exit_code = 1;
  o.signal = interrupt_ != 0 ? interrupt_ : output_error_ == EPIPE ? SIGPIPE : 0;
  if (!write_records(o.signal != 0 ? 128 + o.signal : o.exit_code)) o.exit_code = 1;
  save_history();
  std::string summary = format_summary(specs_, results_, tails_, opt_.colour);
  if (output_error_ != 0 && output_error_ != EPIPE)
    summary += error_line(std::string("write to stdout: ") + strerror(output_error_));
  tell(summary);
  o.steps = std::move(specs_);
  o.results = std::move(results_);
  return o;
}

// SPEC 8, --schedule longest: what the history says of a step.
StartRank Runner::start_rank(const StepSpec& spec) const {
  if (!opt_.schedule_longest || !opt_.history) return {};
  if (opt_.history->failed_last_time(spec.name)) return {StartRank::Kind::failed_last_time};
  auto expected = opt_.history->expected(spec);
  return expected ? StartRank{StartRank::Kind::known, *expected} : StartRank{};
}

// --history: every step's outcome, whatever ended the run; the successful
// attempt's length is the one the trace recorded.
void Runner::save_history() {
  if (opt_.history_path.empty()) return;
  std::vector<HistoryRecord> records;
  for (const StepResult& r : results_) records.push_back({r.status, std::nullopt});
  for (const TraceEvent& e : trace_)
    if (e.status == StepStatus::ok) records[e.index].ok_attempt = std::chrono::duration_cast<std::chrono::milliseconds>(e.length);
  try {
    parstep::save_history(opt_.history_path, specs_, records);
  } catch (const std::system_error& e) {
    tell(warning_line(std::string("history not saved: ") + e.what(), opt_.colour));
  }
}

// The progress line's estimate: only when the history knows every step
// that runs or waits (and no more can come from a queue).
std::string Runner::eta(Clock::time_point now) const {
  if (!opt_.history || (queue_ != nullptr && !queue_->at_end())) return "";
  std::vector<std::optional<std::chrono::milliseconds>> running, waiting;
  for (auto [pid, i] : by_pid_) {
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - active_[i].started);
    running.push_back(expected_[i] ? std::optional(*expected_[i] - elapsed) : std::nullopt);
  }
  for (std::size_t i : sched_.waiting_in_order()) waiting.push_back(expected_[i]);
  auto left = estimate_remaining(running, waiting, opt_.jobs);
  return left ? eta_text(*left) : "";
}

bool Runner::nothing_left_to_start() const {
  if (sched_.stopping()) return true;
  return sched_.waiting() == 0 && (queue_ == nullptr || queue_->at_end());
}


void Runner::dispatch(const ProcessEvent& event) {
  if (auto* s = std::get_if<SignalArrived>(&event)) {
    on_signal(s->signal);
  } else if (std::holds_alternative<StdoutWritable>(event)) {
    flush_stdout();
  } else if (std::holds_alternative<TokenReadable>(event)) {
    // A token may be free: the loop's next turn tries to take it.
  } else if (std::holds_alternative<QueueReadable>(event)) {
    if (!sched_.stopping()) read_queue();
  } else if (auto* o = std::get_if<OutputReady>(&event); active_[o->step].pipe) {
    capture(o->step);
  }
}

void Runner::on_signal(int signal) {
  if (signal == SIGCHLD) {
    reap();
  } else if (signal == SIGTSTP) {
    stop_with_steps(signal);
  } else if (signal == SIGCONT) {
    continue_steps();
  } else if (interrupt_ == 0) {
    interrupt_ = signal;
    stop_all();
  } else {
    kill_all_at_ = os_.now();  // asked twice: no more grace
  }
}

// Waits for every child that has exited; steps' main processes end their
// step, anything else (an orphan handed to parstep) is just collected.
// Returns whether parstep still has children.
bool Runner::reap() {
  for (;;) {
    Reaped r = os_.reap_one();
    if (r.kind == Reaped::Kind::none_yet) return true;
    if (r.kind == Reaped::Kind::no_children) return false;
    auto it = by_pid_.find(r.pid);
    if (it == by_pid_.end()) continue;
    if (WIFSTOPPED(r.wait_status)) stopped_on_terminal(it->second, WSTOPSIG(r.wait_status));
    else main_exited(it->second, ExitStatus::from_wait(r.wait_status));
  }
}

// Moves what the step's pipe holds into its spool; prints what its output
// mode allows now. Closes the pipe at end of file. When the spool cannot
// take more (a full disk), the step is stopped: its output is incomplete.
void Runner::capture(std::size_t i) {
  Active& a = active_[i];
  std::uint64_t before = a.spool->size();
  try {
    if (opt_.output == OutputMode::line ? capture_lines(i) : capture_block(i)) a.pipe.reset();
    trim_spool(i);
  } catch (const std::system_error& e) {
    a.capture_error = std::string("output could not be kept: ") + e.code().message();
    a.pipe.reset();
    if (a.pid != 0) stop_step(i, os_.process_table(), StopReason::output_lost);
  }
  if (a.spool->size() != before) a.last_output = os_.now();
}

// Returns whether the pipe reached end of file.
bool Runner::capture_block(std::size_t i) {
  Active& a = active_[i];
  Spool::Fill fill = a.spool->fill_from(a.pipe.get());
  if (seq_.live() == i) print_new_output(i);
  return fill == Spool::Fill::eof;
}

bool Runner::capture_lines(std::size_t i) {
  Active& a = active_[i];
  char buffer[65536];
  ssize_t n;
  do n = read(a.pipe.get(), buffer, sizeof buffer);
  while (n < 0 && errno == EINTR);
  if (n < 0 && errno == EAGAIN) return false;
  if (n < 0 && errno == EIO) return true;  // a pty whose slave is closed everywhere, read to its end
  if (n < 0) throw_errno("read step output");
  if (n == 0) return true;
  std::string_view chunk(buffer, static_cast<std::size_t>(n));
  std::uint64_t offset = a.spool->size();
  a.spool->append(chunk);
  std::vector<LineSplitter::Line> lines;
  a.lines.feed(chunk, lines);
  if (!hold_lines_) print_lines(i, chunk, offset, lines);
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
  if (a.direct && !a.spool->refresh() && a.capture_error.empty()) {
    a.capture_error = "output could not be kept: No space left on device";
    a.stop = StopReason::output_lost;
  }
  bool stragglers = os_.signal_group(a.pid, SIGTERM);  // what is left of its group
  if (stragglers) kill_deadlines_.push_back({a.pid, os_.now() + opt_.kill_after});
  a.recyclable = !stragglers && no_orphan_left();
  if (a.recyclable) os_.unguard(a.pid);  // else once its stragglers are killed (kill_due)
  a.pid = 0;
  give_back_token(i);
  resources_short_ = false;  // this step's descriptors and process are free again

  StepResult& r = results_[i];
  r.exit = status;
  r.duration = os_.now() - a.first_started;
  r.output_bytes = a.spool->size();
  StepStatus st = status.success() ? StepStatus::ok : StepStatus::failed;
  switch (a.stop) {
    case StopReason::none: break;
    case StopReason::halted: st = StepStatus::stopped; break;
    case StopReason::timed_out: st = StepStatus::timed_out; break;
    case StopReason::hung: st = StepStatus::hung; break;
    case StopReason::output_lost:
    case StopReason::terminal_io: st = StepStatus::error; r.error = a.capture_error; break;
  }
  if (!retry(i, st)) finish(i, st);
}

// --retries: a step that failed, timed out or hung runs again while it has
// attempts left and the run is not stopping; its output so far is dropped.
bool Runner::retry(std::size_t i, StepStatus status) {
  bool retriable = status == StepStatus::failed || status == StepStatus::timed_out || status == StepStatus::hung;
  if (!retriable || results_[i].attempts > specs_[i].retries || sched_.stopping()) return false;
  record_attempt(i, status);
  Active& a = active_[i];
  release_spool(i);
  a.printed = 0;
  a.lines = LineSplitter();
  a.log.reset();  // reopened (emptied) for the next attempt
  a.logged = 0;
  sched_.retry(i);
  return true;
}

void Runner::finish(std::size_t i, StepStatus status) {
  results_[i].status = status;
  ++done_;
  record_attempt(i, status);
  Active& a = active_[i];
  bool dropped = output_dropped(i);
  if (status != StepStatus::ok && !dropped && a.spool) tails_[i] = a.spool->tail(kTailLines, kTailBytes);
  if (a.sgr) tails_[i] = strip_sgr(tails_[i]);
  if (log_dir_ && a.spool) keep_log(i, a.spool->size());
  if (junit_out_ && a.spool) keep_junit_output(i);
  a.log.reset();
  a.logged = 0;
  // A halt stops (and so drops) the other running steps before this step's
  // block is printed, so that none of them is opened as a live block.
  bool halt = sched_.finished(i, status == StepStatus::ok);
  if (halt) stop_all();
  if (opt_.output == OutputMode::line) {
    print_line_mode_end(i);
    release_spool(i);
  } else {
    auto emits = seq_.finished(i);  // the spool is released once its block is printed
    if (seq_.streams()) carry_out(emits);
    else deferred_.insert(deferred_.end(), emits.begin(), emits.end());
    if (dropped) release_spool(i);
  }
  if (!halt && sched_.stopping()) abandon_waiting();
}

void Runner::release_spool(std::size_t i) {
  Active& a = active_[i];
  if (a.spool && a.recyclable) spools_.give(std::move(*a.spool));
  a.spool.reset();
  a.recyclable = false;
}

// Steps that will now never start: marked so, skipped in the output order;
// queued input is no longer read.
void Runner::abandon_waiting() {
  for (std::size_t i : sched_.take_waiting()) {
    results_[i].status = StepStatus::not_started;
    ++done_;
    drop_output(i);
  }
  if (queue_ != nullptr && !queue_->at_end()) os_.unwatch(queue_->fd());
}

RunOutcome run(std::vector<StepSpec> steps, QueueReader* queue, const RunOptions& options, int out_fd,
               int err_fd) {
  SystemProcesses os;
  return Runner(os, std::move(steps), queue, options, out_fd, err_fd).run();
}

}  // namespace parstep
