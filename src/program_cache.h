#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "fd.h"

namespace parstep {

/// find_program() for a whole run, remembered like a shell's hash table
/// (bash's `hash`) but never stale: every PATH directory and each of its
/// ancestors is watched with inotify, and any change there (an entry made,
/// removed, renamed, written or chmod-ed in a PATH directory; an entry made,
/// removed or renamed in an ancestor) forgets everything remembered. A step
/// therefore finds what `sh -c` would find at that moment, with one read(2)
/// of the inotify descriptor instead of a stat(2) per PATH directory.
///
/// Not remembered (looked up afresh each time): names with a `/`, a PATH
/// with an empty or relative entry (those follow each step's working
/// directory), and any PATH whose directories could not all be watched (no
/// inotify, its limits reached, no permission). Not noticed: a mount over a
/// PATH directory or an ancestor, and a rename behind a symbolic link in an
/// ancestor. Owns the inotify descriptor.
class ProgramCache {
 public:
  ProgramCache();
  /// As find_program(name, path, cwd).
  std::optional<std::string> find(const std::string& name, std::string_view path, const std::string& cwd);
  /// How many lookups were answered from memory (for tests).
  std::size_t hits() const { return hits_; }

 private:
  void forget_if_changed();
  bool watch_path(std::string_view path);
  bool watch(const std::string& dir, bool ancestor);
  void reset();

  Fd inotify_;
  std::set<std::string> watched_paths_;  ///< PATH values whose directories are all watched
  std::unordered_map<std::string, std::optional<std::string>> found_;  ///< PATH '\0' name -> program
  std::size_t hits_ = 0;
};

}  // namespace parstep
