#pragma once

#include <sys/types.h>

#include <vector>

#include "fd.h"

namespace parstep {

/// Kills every running step's process group when parstep dies without
/// saying goodbye, even of SIGKILL (SPEC 4 v2). At construction it forks a
/// small process (twice, so that it is not parstep's child; in a session of
/// its own, so that signals aimed at parstep's group or terminal miss it)
/// that holds only the read end of a pipe. parstep tells it each step's
/// process group as the step starts and once nothing of the group is left.
/// When the pipe reaches end of file without a goodbye, the watchdog stops
/// those groups and every process descended from them (also ones that left
/// the group: setsid), then SIGKILLs them all and exits. Processes whose
/// parent chain to a step was already broken (double-forked daemons) are not
/// found. Owns the pipe's write end; does not own the steps.
class Watchdog {
 public:
  /// Forks the watchdog. When it cannot be forked, watch() does nothing.
  Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  /// Without a goodbye: the watchdog kills what it watches.
  ~Watchdog() { flush(); }

  bool running() const { return static_cast<bool>(pipe_); }
  /// Sent at once, with any unwatch() records still pending before it.
  void watch(pid_t pgid);
  /// Kept until the next watch() or flush(): a step's end and the next
  /// step's start cost the watchdog one wake-up, not two.
  void unwatch(pid_t pgid);
  /// Sends what unwatch() kept; parstep calls it before it waits.
  void flush();
  /// The run ended cleanly: the watchdog exits without killing anything.
  void goodbye();

 private:
  std::vector<int> pending_;
  Fd pipe_;
};

/// The watchdog's side: reads records from `fd` until goodbye or end of
/// file; at end of file waits for parstep (`parstep`: a pidfd, or -1) to be
/// gone, then kills the watched groups and their descendants. Returns the
/// exit code.
int watchdog_main(int fd, int parstep);

}  // namespace parstep
