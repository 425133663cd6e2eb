#pragma once

#include <signal.h>

#include <vector>

#include "fd.h"

namespace parstep {

/// parstep's one way of hearing signals: SIGCHLD, SIGTSTP, SIGCONT and every
/// signal whose default action would kill parstep (SIGINT, SIGTERM, SIGHUP,
/// SIGQUIT, SIGPIPE, SIGUSR1, SIGALRM, ..., the real-time ones) are blocked
/// and read from a signalfd in the event loop. A signal parstep was started
/// with ignored (nohup, a background job) stays ignored. A SIGPIPE parstep
/// caused itself by writing to a closed pipe is not reported: the write's
/// EPIPE tells. Remembers what it changed so that children start with the
/// signal state parstep was given.
class SignalWatch {
 public:
  SignalWatch();
  /// Puts back the signal mask it was given. A SIGPIPE still pending (a
  /// write to a closed stdout: its EPIPE told already) is discarded first.
  ~SignalWatch();
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

  int fd() const { return fd_.get(); }
  /// The signals that arrived since the last call (non-blocking).
  std::vector<int> take();

  /// The mask and default-action set a child must be spawned with.
  const sigset_t& child_mask() const { return original_mask_; }
  const sigset_t& child_defaults() const { return child_defaults_; }

 private:
  Fd fd_;
  sigset_t original_mask_;
  sigset_t child_defaults_;
};

/// Whether `signal`'s default action ends the process (and parstep treats it
/// like SIGTERM).
bool is_terminating(int signal);

/// Dies of `signal` with its default action, so that the parent sees parstep
/// killed by it (SPEC 1, exit status). Falls back to exit 128+signal.
[[noreturn]] void reraise(int signal);

/// Stops parstep with `signal`'s default action (SIGTSTP: a shell sees it
/// stopped by that signal) and returns once it is continued.
void stop_self(int signal);

}  // namespace parstep
