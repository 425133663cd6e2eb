#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace parstep {

/// The longest duration accepted anywhere (about 115 days).
inline constexpr std::chrono::milliseconds kMaxDuration{10'000'000'000LL};

/// Parses a duration as SPEC 1 gives it: a non-negative decimal number with
/// an optional unit `ms`, `s`, `m` or `h` ("500ms", "90", "1.5m", "2h"); a
/// bare number is seconds. No sign, exponent, spaces, `inf` or `nan`.
/// Rounded to whole milliseconds. nullopt when `text` is not one, or is
/// longer than kMaxDuration. Pure: says nothing about what is allowed where
/// (zero, for one); callers decide and word their own message.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

/// The same from a JSON number of seconds (manifests accept both forms).
std::optional<std::chrono::milliseconds> duration_from_seconds(double seconds);

/// "like 90, 1.5m, 500ms or 2h": the forms, for messages.
inline constexpr std::string_view kDurationForms = "like 90, 1.5m, 500ms or 2h";

}  // namespace parstep
