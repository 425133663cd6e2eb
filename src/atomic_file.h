#pragma once

#include <string>
#include <string_view>

namespace parstep {

/// Writes `content` to `path` so that readers see the old file or the whole
/// new one, never a part: a temporary file in the same directory, fsync'd,
/// then renamed over `path`; its mode is 0666 less the umask, as open(2)
/// would give. Throws std::system_error naming the path.
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace parstep
