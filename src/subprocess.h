#pragma once

#include <signal.h>
#include <sys/types.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace parstep {

/// The environment steps start from: parstep's own, less any PARSTEP_*
/// variables it inherited, plus each step's additions. Owns the strings.
class Environment {
 public:
  /// Snapshot of `environ` as it is now.
  static Environment inherited();
  explicit Environment(std::vector<std::string> entries);

  /// The base plus `extra` ("KEY=VALUE"; a later entry replaces an earlier
  /// one with the same key).
  std::vector<std::string> with(const std::vector<std::pair<std::string, std::string>>& extra) const;
  /// The base less the variables named in `keys`.
  Environment without(const std::vector<std::string>& keys) const;

 private:
  std::vector<std::string> entries_;
};

/// How to start one process.
struct SpawnRequest {
  std::vector<std::string> argv;  ///< argv[0] is looked up in PATH when it has no '/' (and no program)
  std::string program;            ///< when set, the file executed (no PATH lookup); argv[0] stays as given
  std::vector<std::string> env;   ///< "KEY=VALUE"
  std::string cwd;                ///< empty: inherit
  int output_fd = -1;             ///< becomes stdout and stderr
  int input_fd = -1;              ///< becomes stdin (/dev/null opened for it when -1)
  const sigset_t* mask = nullptr;      ///< signal mask the child starts with
  const sigset_t* defaults = nullptr;  ///< signals reset to their default action
};

/// Starts processes, each as spawn_process() does, keeping posix_spawn's
/// set-up (descriptor actions, attributes) for the next process that needs
/// the same: glibc checks each descriptor it is given with a getrlimit call,
/// and a run starts thousands of processes on a handful of descriptors.
class Spawner {
 public:
  Spawner();
  ~Spawner();
  Spawner(const Spawner&) = delete;
  Spawner& operator=(const Spawner&) = delete;
  pid_t spawn(const SpawnRequest& request);

 private:
  struct Kept;
  std::unique_ptr<Kept> kept_;
};

/// Starts the process in a process group of its own with stdin on /dev/null
/// (or input_fd),
/// without copying parstep's address space (posix_spawn: vfork + exec).
/// Only descriptors 0, 1 and 2 survive into it: every other descriptor
/// parstep holds is close-on-exec. Returns its pid; throws
/// std::system_error when it could not start (bad cwd, no such program).
pid_t spawn_process(const SpawnRequest& request);

/// Opens /dev/null onto whichever of descriptors 0, 1 and 2 is closed, so
/// that no descriptor parstep opens later (signalfd, epoll, a jobserver
/// pipe) lands on one of them and is taken for stdin, stdout or stderr.
/// Call it first thing, before anything opens a descriptor.
void open_missing_standard_descriptors();

/// Marks every descriptor from 3 up close-on-exec, so that what parstep
/// inherited never leaks into steps.
void close_inherited_descriptors_on_exec();

}  // namespace parstep
