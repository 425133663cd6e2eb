#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "fd.h"

namespace parstep {

/// --log-dir: each step's whole output in DIR/<safe name>.log. Names are
/// made filesystem-safe; names that collide after that get "-2", "-3", ...
/// Owns the set of file names handed out.
class LogDir {
 public:
  /// Creates the directory (and parents) if needed, and refuses one that
  /// another user controls (see unsafe_log_dir). Throws std::system_error
  /// or std::runtime_error.
  explicit LogDir(std::string dir);

  /// The log file for a step named `name`, unique within this run. Amortised
  /// constant time, however many names collide.
  std::string path_for(const std::string& name);
  /// Opens `path` for a step's log, emptied: never through a symlink, never
  /// blocking (a fifo planted there), and only a regular file that is ours.
  /// Mode 0666 less the umask. Throws std::runtime_error naming the refusal.
  static Fd open(const std::string& path);
  /// Appends [offset, offset+length) of `from_fd` to the log `to_fd`.
  /// Throws std::system_error naming `path`.
  static void copy(const std::string& path, int from_fd, std::uint64_t offset, std::uint64_t length, int to_fd);

 private:
  std::string dir_;
  std::unordered_set<std::string> taken_;
  std::unordered_map<std::string, unsigned> next_suffix_;  ///< by safe base name: the next "-N" to try
};

/// The name with every byte outside [A-Za-z0-9._-] replaced by '_', cut to
/// 100 bytes; never empty, never "." or "..".
std::string safe_file_name(const std::string& name);

}  // namespace parstep
