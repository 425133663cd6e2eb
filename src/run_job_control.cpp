// The Runner's job control (SPEC 4 v2): when parstep is stopped (Ctrl-Z,
// SIGTSTP) its steps stop with it, when it continues they continue, and the
// time spent stopped does not count towards --timeout, --silent-timeout or
// --kill-after.
#include <signal.h>
#include <unistd.h>

#include "messages.h"
#include "runner.h"

namespace parstep {

// SIGSTOP (not the catchable SIGTSTP: a step may ignore that) to every
// running step's group and every descendant that left its group; then
// parstep stops itself with the signal it got, so that its shell sees a
// stopped job. Returns once parstep is continued.
void Runner::stop_with_steps(int signal) {
  auto stopped_at = os_.now();
  for (auto [pid, i] : by_pid_) os_.signal_group(pid, SIGSTOP);
  os_.signal_descendants(0, SIGSTOP);
  if (progress_) progress_->erase();
  os_.stop_self(signal);
  credit_pause(os_.now() - stopped_at);
  wake_steps();
}

// SIGCONT: parstep was stopped (and continued by `fg`, `bg` or kill -CONT).
// When it stopped itself (SIGTSTP) the pause is already credited; when it was
// stopped by SIGSTOP, which it cannot see, the pause is known only to be at
// least how far it overslept the wake-up it had asked for.
void Runner::continue_steps() {
  auto now = os_.now();
  if (wake_by_ && now > *wake_by_) credit_pause(now - *wake_by_);
  wake_steps();
}

void Runner::wake_steps() {
  for (auto [pid, i] : by_pid_) os_.signal_group(pid, SIGCONT);
  os_.signal_descendants(0, SIGCONT);
}

// Moves every running step's clocks and every pending SIGKILL by `pause`.
void Runner::credit_pause(Clock::duration pause) {
  for (auto [pid, i] : by_pid_) {
    active_[i].started += pause;
    active_[i].last_output += pause;
  }
  for (auto& d : kill_deadlines_) d.at += pause;
  if (kill_all_at_) *kill_all_at_ += pause;
}

// A step's main process stopped. By SIGTTIN or SIGTTOU it tried to use the
// terminal, which only parstep's own process group may: nobody would ever
// continue it. Said at once, and the step is ended as failed (with or without
// --silent-timeout: waiting for the limit would tell nothing more). Other
// stops (parstep's own job control, someone's SIGSTOP) are left alone.
void Runner::stopped_on_terminal(std::size_t i, int signal) {
  if (signal != SIGTTIN && signal != SIGTTOU) return;
  Active& a = active_[i];
  if (a.stop != StopReason::none) return;
  std::string what = signal == SIGTTIN ? "SIGTTIN: it read from the terminal" : "SIGTTOU: it wrote to or set up the terminal";
  a.capture_error = "stopped by " + what + " (steps cannot use it)";
  tell(error_line("step " + specs_[i].name + " " + a.capture_error));
  stop_step(i, os_.process_table(), StopReason::terminal_io);
}

}  // namespace parstep
