#pragma once

#include <optional>
#include <string>

namespace parstep {

/// The most bytes one argument may have (Linux's MAX_ARG_STRLEN).
inline constexpr std::size_t kMaxArgumentBytes = 128 * 1024;

/// Reads a manifest's `{"file": PATH}` value: the argument is the regular
/// file's bytes, exactly (the CMake module writes generator-expression
/// results so, and they need no escaping). nullopt, with `problem` set,
/// when PATH is not a readable regular file or holds more than
/// kMaxArgumentBytes. Never blocks on a fifo or a device.
std::optional<std::string> read_argument_file(const std::string& path, std::string& problem);

}  // namespace parstep
