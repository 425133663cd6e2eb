#include "duration.h"

#include <cmath>
#include <string>

namespace parstep {
namespace {

// The number's length at the front of `text`: digits with at most one '.'
// and at least one digit; 0 when there is none.
std::size_t number_length(std::string_view text) {
  std::size_t n = 0, digits = 0;
  bool dot = false;
  for (; n < text.size(); ++n) {
    char c = text[n];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  return digits == 0 ? 0 : n;
}

std::optional<double> unit_in_seconds(std::string_view unit) {
  if (unit.empty() || unit == "s") return 1.0;
  if (unit == "ms") return 0.001;
  if (unit == "m") return 60.0;
  if (unit == "h") return 3600.0;
  return std::nullopt;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  std::size_t n = number_length(text);
  if (n == 0 || n > 32) return std::nullopt;
  auto unit = unit_in_seconds(text.substr(n));
  if (!unit) return std::nullopt;
  // Only digits and one dot reach strtod: no locale, sign or exponent.
  return duration_from_seconds(std::strtod(std::string(text.substr(0, n)).c_str(), nullptr) * *unit);
}

std::optional<std::chrono::milliseconds> duration_from_seconds(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return std::nullopt;
  double ms = std::round(seconds * 1000);
  if (ms > static_cast<double>(kMaxDuration.count())) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(ms));
}

}  // namespace parstep
