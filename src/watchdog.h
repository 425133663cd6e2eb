#pragma once

#include <sys/types.h>

#include <cstddef>
#include <unordered_map>
#include <vector>

#include "fd.h"

namespace parstep {

/// Kills every running step's process group when parstep dies without
/// saying goodbye, even of SIGKILL (SPEC 4 v2). At construction it forks a
/// small process (twice, so that it is not parstep's child; in a session of
/// its own, so that signals aimed at parstep's group or terminal miss it)
/// that holds only the read end of a pipe and a table in memory shared with
/// parstep. parstep writes each step's process group into the table as the
/// step starts and clears it once nothing of the group is left: a store, no
/// system call and no wake-up (a pipe record woken the watchdog each step:
/// 3 % of 1000 `true` steps at -j1). Groups the table has no room for go
/// through the pipe. When the pipe reaches end of file without a goodbye,
/// the watchdog waits for parstep to be gone, then stops the groups in the
/// table and the pipe and every process descended from them (also ones that
/// left the group: setsid), SIGKILLs them all and exits. Processes whose
/// parent chain to a step was already broken (double-forked daemons) are not
/// found. Owns the pipe's write end and the table; does not own the steps.
class Watchdog {
 public:
  /// Forks the watchdog. When it cannot be forked, watch() does nothing.
  /// `slots`: how many groups the shared table holds; more go through the pipe.
  explicit Watchdog(std::size_t slots = 4096);
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  /// Without a goodbye: the watchdog kills what it watches.
  ~Watchdog();

  bool running() const { return static_cast<bool>(pipe_); }
  /// Into the table; else sent at once, with any unwatch() records still
  /// pending before it.
  void watch(pid_t pgid);
  /// Out of the table; else kept until the next watch() or flush().
  void unwatch(pid_t pgid);
  /// Sends what unwatch() kept; parstep calls it before it waits.
  void flush();
  /// The run ended cleanly: the watchdog exits without killing anything.
  void goodbye();

 private:
  std::vector<int> pending_;
  Fd pipe_;
  int* table_ = nullptr;  ///< shared with the watchdog: a group, or 0, per slot
  std::size_t slots_ = 0;
  std::vector<std::size_t> free_;
  std::unordered_map<pid_t, std::size_t> slot_of_;
};

/// The watchdog's side: reads records from `fd` until goodbye or end of
/// file; at end of file waits for parstep (`parstep`: a pidfd, or -1) to be
/// gone, then kills the groups watched through the pipe and those left in
/// `table` (`slots` of them), and their descendants. Returns the exit code.
int watchdog_main(int fd, int parstep, const int* table = nullptr, std::size_t slots = 0);

}  // namespace parstep
