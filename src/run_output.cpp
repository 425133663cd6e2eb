// The Runner's output side: blocks and lines on stdout, messages and the
// progress line on stderr, and the run's records (logs, report, trace).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "atomic_file.h"
#include "colour.h"
#include "junit.h"
#include "report.h"
#include "messages.h"
#include "runner.h"
#include "summary.h"

namespace parstep {
namespace {

std::int64_t unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

// Every write to stdout goes through here: the progress line is taken off
// the terminal first, and a failed write ends the run (see run()).
template <class F> void Runner::print(F&& write) {
  if (output_error_ != 0) return;
  if (progress_) progress_->erase();
  last_said_ = os_.now();
  try {
    write();
  } catch (const SinkError& e) {
    output_error_ = e.error;
  }
}

// parstep's own messages, on stderr.
void Runner::tell(const std::string& message) {
  if (message.empty()) return;
  if (progress_) progress_->erase();
  last_said_ = os_.now();
  for (std::size_t done = 0; done < message.size();) {
    ssize_t n = write(err_fd_, message.data() + done, message.size() - done);
    if (n <= 0) return;  // stderr is gone: the exit status still tells
    done += n;
  }
}

// SPEC 2 v2, "dropped means dropped": a step stopped by a halt or an
// interrupt prints nothing more, whatever the mode: not its pending bytes,
// not a held or unterminated line. The one rule is output_dropped(); the
// one place step bytes reach stdout is print_step_output(); the one act of
// dropping is drop_output() (which also skips the step's block).
bool Runner::output_dropped(std::size_t i) const { return active_[i].stop == StopReason::halted; }

template <class F> void Runner::print_step_output(std::size_t i, F&& write) {
  if (!output_dropped(i)) print(std::forward<F>(write));
}

// A step is stopped by a halt or an interrupt, or will never start: its
// block is skipped, and a live one is closed now (what was printed stays).
void Runner::drop_output(std::size_t i) {
  if (opt_.output != OutputMode::line) carry_out(seq_.drop(i));
}

void Runner::carry_out(const std::vector<Emit>& emits) {
  for (const Emit& e : emits) {
    switch (e.kind) {
      case Emit::Kind::whole:
        print_block(e.index, true);
        release_spool(e.index);
        break;
      case Emit::Kind::open: print_block(e.index, false); break;
      case Emit::Kind::close:
        print_new_output(e.index);
        end_block(e.index);
        close_block(e.index, ci_.platform == CiPlatform::github);
        if (!e.drop) release_spool(e.index);  // a dropped step still runs: released when it ends
        break;
    }
  }
}

// The header line, without its newline: a failed step's in red when
// colour is on.
std::string Runner::header(std::size_t i, bool with_result) const {
  std::string h = "==> " + display_name(specs_[i].name);
  if (!with_result) return h;
  const StepResult& r = results_[i];
  h += " (" + (r.succeeded() ? std::string("ok") : "FAILED: " + r.describe()) + ", ";
  if (r.attempts > 1) h += "attempt " + std::to_string(r.attempts) + " of " + std::to_string(specs_[i].retries + 1) + ", ";
  h += format_duration(r.duration) + ")";
  return r.succeeded() ? h : paint(h, Paint::red, opt_.colour);
}

// The header, with the CI markers that open a block (SPEC 2, --ci). A
// block whose result is not known yet (a live one) is folded on GitHub, to
// be closed and annotated when it ends, and expanded on GitLab.
void Runner::open_block(std::size_t i, bool with_result) {
  if (opt_.no_header) return;
  bool folded = with_result ? results_[i].succeeded() : ci_.platform == CiPlatform::github;
  std::string text = ci_.open(i, unix_seconds(results_[i].started_at), folded, header(i, with_result));
  print([&] { out_.write(text + ci_.before_output()); });
}

// Ends the markers open_block() began; a step that did not succeed gets its
// annotation.
void Runner::close_block(std::size_t i, bool folded) {
  if (opt_.no_header || ci_.platform == CiPlatform::none) return;
  const StepResult& r = results_[i];
  bool failure = !r.succeeded() && r.status != StepStatus::stopped && r.status != StepStatus::not_started;
  std::int64_t ended = unix_seconds(r.started_at + std::chrono::duration_cast<std::chrono::system_clock::duration>(r.duration));
  std::string text = ci_.after_output() + ci_.close(i, ended, folded, specs_[i].name, failure ? r.describe() : "");
  print([&] { out_.write(text); });
}

// A finished step's whole block (with_result), or the start of a live one.
void Runner::print_block(std::size_t i, bool with_result) {
  open_block(i, with_result);
  bool hide = with_result && opt_.output_on_failure && results_[i].succeeded();
  if (!hide) print_new_output(i);
  if (!with_result) return;
  end_block(i);
  close_block(i, results_[i].succeeded());
}

void Runner::print_new_output(std::size_t i) {
  Active& a = active_[i];
  if (!a.spool || a.printed == a.spool->size()) return;
  print_step_output(i, [&] { copy_output(i, a.printed, a.spool->size() - a.printed); });
  a.printed = a.spool->size();
}

// Bytes [offset, offset+length) of step i's spool to stdout: as they are,
// or without SGR sequences (a pty step when colour is off, SPEC 2).
void Runner::copy_output(std::size_t i, std::uint64_t offset, std::uint64_t length) {
  Active& a = active_[i];
  if (!a.sgr) return out_.copy(a.spool->fd(), offset, length);
  for (std::uint64_t end = offset + length; offset < end;) {
    std::string chunk = a.spool->read(offset, static_cast<std::size_t>(std::min<std::uint64_t>(end - offset, 65536)));
    if (chunk.empty()) break;
    std::string text;
    a.sgr->feed(chunk, text);
    out_.write(text);
    offset += chunk.size();
  }
}

// Appends step i's `bytes` to `text`, to be printed (see copy_output).
void Runner::add_output(std::size_t i, std::string_view bytes, std::string& text) {
  Active& a = active_[i];
  if (a.sgr) a.sgr->feed(bytes, text);
  else text.append(bytes);
}

// A block that does not end with a newline gets one (unless --no-header).
void Runner::end_block(std::size_t i) {
  Active& a = active_[i];
  std::string held;
  if (a.sgr && !output_dropped(i)) a.sgr->finish(held);  // an unfinished escape sequence, as it is
  if (!held.empty()) print([&] { out_.write(held); });
  if (opt_.no_header || !a.spool || a.printed == 0) return;
  bool line_ended = a.sgr ? a.sgr->at_line_start() : a.spool->read(a.printed - 1, 1) == "\n";
  if (!line_ended) print([&] { out_.write("\n"); });
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
      print_step_output(i, [&] {
        out_.write(text);
        copy_output(i, line.begin, chunk_offset - line.begin);
      });
      text.clear();
    }
    std::uint64_t from = line.begin < chunk_offset ? chunk_offset : line.begin;
    add_output(i, chunk.substr(from - chunk_offset, line.end - from), text);
    a.printed = line.end;
  }
  if (!text.empty()) print_step_output(i, [&] { out_.write(text); });
}

void Runner::print_final_line(std::size_t i) {
  Active& a = active_[i];
  auto last = a.lines.finish();
  if (!last || !a.spool) return;
  print_step_output(i, [&] {
    std::string held;
    out_.write(prefix(i));
    copy_output(i, last->begin, last->end - last->begin);
    if (a.sgr) a.sgr->finish(held);
    out_.write(held + (opt_.no_header ? "" : "\n"));
  });
}

// Line mode, at a step's end: its last unterminated line; or, when lines are
// held (--output-on-failure, --retries), all of them now.
void Runner::print_line_mode_end(std::size_t i) {
  if (!hold_lines_) return print_final_line(i);
  if (!(opt_.output_on_failure && results_[i].succeeded())) replay_lines(i);
}

void Runner::replay_lines(std::size_t i) {
  Active& a = active_[i];
  if (!a.spool) return;
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

// The running steps, oldest first, for the progress views.
std::vector<RunningStep> Runner::running_steps(Clock::time_point now) const {
  std::vector<std::pair<Clock::time_point, std::size_t>> running;
  for (auto [pid, i] : by_pid_) running.emplace_back(active_[i].started, i);
  std::sort(running.begin(), running.end());
  std::vector<RunningStep> steps;
  for (auto [started, i] : running) steps.push_back({display_name(specs_[i].name), now - started});
  return steps;
}

void Runner::update_progress(Clock::time_point now) {
  if (sched_.running() == 0 && nothing_left_to_start()) return progress_->erase();
  // The ETA (with a history) ends the first line of the view.
  std::string eta_part = eta(now);
  std::size_t width = progress_->width();
  width = width > eta_part.size() ? width - eta_part.size() : 0;
  std::string view = progress_view(done_, specs_.size(), running_steps(now), width, progress_->rows());
  std::size_t at = std::min(view.find('\n'), view.size());
  if (at > 0 && view[at - 1] == ':' && !eta_part.empty()) eta_part.erase(0, 1);  // "running: ETA 5s"
  view.insert(at, eta_part);
  progress_->update(view, now);
}

// Off a terminal (SPEC 2): a plain line after each kHeartbeat of silence
// while steps run.
void Runner::heartbeat(Clock::time_point now) {
  if (by_pid_.empty() || now - last_said_ < kHeartbeat) return;
  tell(heartbeat_text(done_, specs_.size(), running_steps(now)));
}

// --log-dir: the step's output up to `end` goes to its log (opened at the
// first call); at the step's end, all of it. A log that cannot be written
// gets one warning and no more tries.
void Runner::keep_log(std::size_t i, std::uint64_t end) {
  Active& a = active_[i];
  if (a.logged == kLogRefused || (a.log && end <= a.logged)) return;
  try {
    if (!a.log) a.log = LogDir::open(logs_[i]);
    LogDir::copy(logs_[i], a.spool->fd(), a.logged, end - a.logged, a.log.get());
    a.logged = end;
  } catch (const std::exception& e) {
    tell(warning_line(e.what(), opt_.colour));
    a.log.reset();
    a.logged = kLogRefused;
  }
}

// --junit: the last kJunitOutputLimit bytes of the step's output, moved to
// the run's JUnit spool (memory stays flat however much steps print).
void Runner::keep_junit_output(std::size_t i) {
  const Spool& from = *active_[i].spool;
  // Bytes already printed and given back (line mode, a live block) are gone.
  std::uint64_t length = std::min<std::uint64_t>(from.size() - from.discarded(), kJunitOutputLimit);
  std::uint64_t offset = junit_out_->size();
  junit_out_->append(from.read(from.size() - length, length));
  junit_ranges_[i] = {offset, length};
}

void Runner::write_junit() {
  JunitInput in;
  in.started_at = run_started_wall_;
  in.duration = os_.now() - run_started_;
  in.steps = &specs_;
  in.results = &results_;
  in.tails = &tails_;
  in.output = [&](std::size_t i) { return junit_out_->read(junit_ranges_[i].first, junit_ranges_[i].second); };
  write_file_atomically(opt_.junit_path, junit_xml(in));
}

// GitHub's job summary: appended (other steps of the job write there too).
void Runner::write_step_summary() {
  std::string table = github_summary_table(specs_, results_) + "\n";
  int fd = open(opt_.step_summary_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) throw_errno("open " + opt_.step_summary_path);
  Fd file(fd);
  for (std::size_t done = 0; done < table.size();) {
    ssize_t n = write(fd, table.data() + done, table.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("write " + opt_.step_summary_path);
    done += static_cast<std::size_t>(n);
  }
}

// Output already printed (line mode, a live block) need not stay on disk:
// its space is given back, all but the last kTailBytes (the summary quotes
// them, a block's end checks its last byte). With --log-dir the log takes
// those bytes first. Only printed bytes go: held lines are kept whole.
void Runner::trim_spool(std::size_t i) {
  Active& a = active_[i];
  if (!a.spool || a.printed <= kTailBytes) return;
  std::uint64_t end = (a.printed - kTailBytes) / Spool::kDiscardUnit * Spool::kDiscardUnit;
  if (end <= a.spool->discarded()) return;
  if (log_dir_) keep_log(i, end);
  a.spool->discard_before(end);
}

void Runner::record_attempt(std::size_t i, StepStatus status) {
  const Active& a = active_[i];
  trace_.push_back({i, results_[i].attempts, results_[i].slot, a.started - run_started_, os_.now() - a.started, status});
}

// --report and --trace, written whatever happened (also after an interrupt).
// Returns false when one could not be written.
bool Runner::write_records(int exit_code) {
  try {
    if (!opt_.report_path.empty()) {
      ReportInput in;
      in.started_at = run_started_wall_;
      in.duration = os_.now() - run_started_;
      in.jobs = opt_.jobs;
      in.on_error = opt_.on_error;
      in.exit_code = exit_code;
      in.steps = &specs_;
      in.results = &results_;
      in.logs = log_dir_ ? &logs_ : nullptr;
      write_file_atomically(opt_.report_path, report_json(in));
    }
    if (!opt_.trace_path.empty()) write_file_atomically(opt_.trace_path, trace_json(trace_, specs_));
    if (!opt_.junit_path.empty()) write_junit();
    if (!opt_.step_summary_path.empty()) write_step_summary();
    return true;
  } catch (const std::system_error& e) {
    tell(error_line(e.what()));
    return false;
  }
}

}  // namespace parstep
