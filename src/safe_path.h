#pragma once

#include <optional>
#include <string>

namespace parstep {

/// Whether `dir` is shared: world-writable with the sticky bit (like /tmp),
/// where another user may plant a symlink for parstep to write through.
bool is_shared_directory(const std::string& dir);

/// Why parstep must not write at `path`: it is a symlink in a shared
/// directory (it may point anywhere another user chose). nullopt when the
/// path is safe to write.
std::optional<std::string> unsafe_output_path(const std::string& path);

/// Why parstep must not keep logs in the directory `dir`: another user
/// controls it (it belongs to neither parstep's user nor root), or anyone
/// may replace files in it (world-writable without the sticky bit). The
/// same rule ssh and tmux apply to their directories. nullopt when safe.
std::optional<std::string> unsafe_log_dir(const std::string& dir);

}  // namespace parstep
