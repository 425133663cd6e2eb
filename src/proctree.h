#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace parstep {

/// One process as /proc/PID/stat shows it.
struct ProcessInfo {
  pid_t pid;
  pid_t ppid;
  pid_t pgrp;
  char state;  ///< R, S, D, Z, T, ...
  unsigned long long start_ticks = 0;  ///< start time, clock ticks after boot
};

/// A snapshot of every process this user can see in /proc.
std::vector<ProcessInfo> read_process_table();

/// Every process below `root` in `table` (children, their children, ...),
/// zombies left out. `root` itself is not included.
std::vector<pid_t> descendants(const std::vector<ProcessInfo>& table, pid_t root);

/// The process's command line, arguments joined by spaces ("" when gone or
/// a kernel thread).
std::string command_line_of(pid_t pid);

/// The kernel function the process sleeps in, when /proc shows it.
std::string wchan_of(pid_t pid);

/// How long ago a process with this start time started, in seconds.
double seconds_since_start(unsigned long long start_ticks);

/// Sends `signal` to every live descendant of `root`. Returns how many.
std::size_t signal_descendants(pid_t root, int signal);

/// Makes orphaned descendants parstep's children instead of init's (Linux
/// PR_SET_CHILD_SUBREAPER), so that none can escape being waited for.
bool become_child_subreaper();

}  // namespace parstep
