// The Runner's starting side: a jobserver slot for each step (SPEC 6 v2),
// its capture (a pipe, a pty, or its spool directly) and its process.
#include <cerrno>
#include <cstring>

#include "colour.h"
#include "plain_command.h"
#include "runner.h"

namespace parstep {

// A step may start when a jobserver slot is free: parstep's implicit one
// when no step runs, else a token read from the pool (kept in tokens_).
// When none is free now, returns false and has the loop wake when the pool
// becomes readable.
bool Runner::take_token() {
  if (!opt_.jobserver || slots_in_use_ == 0) return true;
  if (auto token = opt_.jobserver->try_take()) {
    tokens_.push_back(std::move(*token));
    return true;
  }
  int fd = opt_.jobserver->poll_fd();
  if (fd >= 0) os_.watch_jobserver(fd);
  return false;
}

// Step i no longer runs: its slot is free. parstep keeps one token fewer
// than the steps still running and writes the spare one back at once, so
// its implicit slot never idles while others wait (SPEC 6 v2).
void Runner::give_back_token(std::size_t i) {
  Active& a = active_[i];
  if (!a.has_slot) return;
  a.has_slot = false;
  --slots_in_use_;
  while (tokens_.size() > (slots_in_use_ == 0 ? 0 : slots_in_use_ - 1)) tokens_.pop_back();
}

void Runner::start(Launch launch) {
  std::size_t i = launch.index;
  const StepSpec& spec = specs_[i];
  Active& a = active_[i];
  StepResult& r = results_[i];
  if (opt_.jobserver) {
    a.has_slot = true;
    ++slots_in_use_;
  }
  r.slot = launch.slot;
  a.started = a.last_output = os_.now();
  if (r.attempts++ == 0) {
    r.started_at = std::chrono::system_clock::now();
    a.first_started = a.started;
  }
  a.stop = StopReason::none;
  auto fail = [&](const std::string& error, int err) {
    give_back_token(i);
    bool shortage = err == EMFILE || err == ENFILE || err == EAGAIN || err == ENOMEM;
    if (shortage && sched_.running() > 1) {
      // Out of descriptors, processes or memory: wait in line until a
      // running step ends and frees some (SPEC 4 v2).
      a.pipe.reset();
      release_spool(i);
      --r.attempts;
      sched_.retry(i);
      resources_short_ = true;
      return;
    }
    bool no_process = err == EAGAIN || err == ENOMEM;  // fork failed: not the program's fault
    r.error = "could not start: " + (no_process ? std::string("cannot create a process: ") + strerror(err) : error);
    r.duration = os_.now() - a.first_started;
    finish(i, StepStatus::error);
  };
  if (!spec.start_error.empty()) return fail(spec.start_error, 0);

  // Output goes through a pipe only when parstep must see it as it comes:
  // line mode, the live block of ordered mode, a silence limit, a pty.
  // Otherwise the step writes into its spool directly, as make -O does: one
  // copy less, and no wake-up per write.
  a.direct = opt_.output != OutputMode::line && !seq_.streams() && !spec.silent_timeout && !opt_.pty;
  Fd write_end;
  try {
    if (!a.direct) write_end = open_capture(i);
    a.spool = spools_.take();
    if (a.direct) a.spool->open_for_writers();
    SpawnRequest request;
    auto extra = spec.env;
    extra.emplace_back("PARSTEP_STEP", env_step_name(spec.name));
    extra.emplace_back("PARSTEP_INDEX", std::to_string(i));
    extra.emplace_back("PARSTEP_SLOT", std::to_string(launch.slot));
    request.env = env_.with(extra);
    request.cwd = spec.cwd;
    // A local shell step with no shell syntax runs as sh would run it, minus sh.
    bool direct = !spec.is_argv() && spec.launcher.empty() && opt_.direct_plain_commands &&
                  direct_starts_.start_without_shell(spec.command, request);
    if (!direct) request.argv = spec.command_line(opt_.shell);
    request.output_fd = a.direct ? a.spool->fd() : write_end.get();
    a.pid = os_.spawn(std::move(request));
  } catch (const std::system_error& e) {
    a.pipe.reset();
    return fail(e.what(), e.code().value());
  }
  by_pid_[a.pid] = i;
  os_.guard(a.pid);
  if (!a.direct) os_.watch_output(i, a.pipe.get());
  if (r.attempts == 1) carry_out(seq_.started(i));
}

// The step's end of its capture, parstep's end (non-blocking) going to
// a.pipe: a pty with --pty (a pipe when none can be had), else a pipe.
Fd Runner::open_capture(std::size_t i) {
  Active& a = active_[i];
  a.sgr.reset();
  Capture capture = os_.open_capture(opt_.pty, {out_.fd(), err_fd_});
  tell(paint(capture.warning, Paint::yellow, opt_.colour));
  if (capture.pty && !opt_.colour) a.sgr.emplace();
  a.pipe = std::move(capture.read_end);
  return std::move(capture.write_end);
}

}  // namespace parstep
