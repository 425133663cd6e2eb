#pragma once

#include <string>
#include <string_view>

namespace parstep {

/// What every line parstep writes about itself starts with (STYLE 6).
inline constexpr std::string_view kMessagePrefix = "parstep: ";

/// "parstep: TEXT\n": a line that is neither an error nor a warning (a
/// summary heading, a notice). Lowercase, no trailing period (the caller's
/// text).
std::string message_line(std::string_view text);

/// "parstep: error: TEXT\n": something stopped parstep or a step.
std::string error_line(std::string_view text);

/// "parstep: warning: TEXT\n", painted yellow when `colour`: parstep
/// carries on.
std::string warning_line(std::string_view text, bool colour);

}  // namespace parstep
