#pragma once

#include <signal.h>

#include <vector>

#include "fd.h"

namespace parstep {

/// parstep's one way of hearing signals: SIGINT, SIGTERM, SIGHUP and SIGCHLD
/// are blocked and read from a signalfd in the event loop; SIGPIPE is
/// ignored so that a closed stdout shows as EPIPE. Remembers what it changed
/// so that children start with the signal state parstep was given.
class SignalWatch {
 public:
  SignalWatch();
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

/// Dies of `signal` with its default action, so that the parent sees parstep
/// killed by it (SPEC 1, exit status). Falls back to exit 128+signal.
[[noreturn]] void reraise(int signal);

}  // namespace parstep
