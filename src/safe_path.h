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

}  // namespace parstep
