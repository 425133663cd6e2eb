#pragma once

#include <string>
#include <unordered_set>

namespace parstep {

/// --log-dir: each step's whole output in DIR/<safe name>.log. Names are
/// made filesystem-safe; names that collide after that get "-2", "-3", ...
/// Owns the set of file names handed out.
class LogDir {
 public:
  /// Creates the directory (and parents) if needed. Throws std::system_error.
  explicit LogDir(std::string dir);

  /// The log file for a step named `name`, unique within this run.
  std::string path_for(const std::string& name);
  /// Copies [0, length) of `from_fd` into `path`. Throws std::system_error.
  static void write(const std::string& path, int from_fd, std::uint64_t length);

 private:
  std::string dir_;
  std::unordered_set<std::string> taken_;
};

/// The name with every byte outside [A-Za-z0-9._-] replaced by '_', cut to
/// 100 bytes; never empty, never "." or "..".
std::string safe_file_name(const std::string& name);

}  // namespace parstep
