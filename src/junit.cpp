#include "junit.h"

#include <cstdio>
#include <ctime>

namespace parstep {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Length of the valid UTF-8 sequence at the start of `s` and its code
// point, or 0 when it is not one (bad lead, bad continuation, overlong,
// surrogate, beyond U+10FFFF, cut short).
std::size_t utf8_sequence(std::string_view s, char32_t& code) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char lead = byte(0);
  std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || s.size() < length) return 0;
  code = length == 1 ? lead : lead & (0x7F >> length);
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i) & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kMin[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

bool xml_allows(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

std::string seconds(std::chrono::steady_clock::duration d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", std::chrono::duration<double>(d).count());
  return text;
}

// JUnit's schema wants a local date-time without zone; parstep writes UTC.
std::string timestamp(std::chrono::system_clock::time_point t) {
  std::time_t s = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&s, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  return text;
}

std::string attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + xml_escape(value, true) + "\"";
}

bool is_failure(StepStatus s) { return s == StepStatus::failed || s == StepStatus::timed_out || s == StepStatus::hung; }
bool is_skipped(StepStatus s) { return s == StepStatus::stopped || s == StepStatus::not_started; }

std::string verdict(const StepResult& r, const std::string& tail) {
  if (is_failure(r.status))
    return "      <failure" + attr("message", r.describe()) + attr("type", to_string(r.status)) + ">" +
           xml_escape(tail, false) + "</failure>\n";
  if (r.status == StepStatus::error) return "      <error" + attr("message", r.describe()) + "/>\n";
  if (is_skipped(r.status)) return "      <skipped" + attr("message", r.describe()) + "/>\n";
  return "";
}

std::string testcase(const JunitInput& in, std::size_t i) {
  const StepResult& r = (*in.results)[i];
  std::string tail = in.tails != nullptr && i < in.tails->size() ? (*in.tails)[i] : "";
  std::string text = "    <testcase" + attr("name", (*in.steps)[i].name) + attr("classname", "parstep") +
                     attr("time", seconds(r.attempts > 0 ? r.duration : std::chrono::steady_clock::duration{})) + ">\n";
  text += verdict(r, tail);
  if (r.attempts > 0 && in.output) text += "      <system-out>" + xml_escape(in.output(i), false) + "</system-out>\n";
  return text + "    </testcase>\n";
}

}  // namespace

std::string xml_escape(std::string_view bytes, bool attribute) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    char32_t code = 0;
    std::size_t n = utf8_sequence(bytes.substr(i), code);
    if (n == 0 || !xml_allows(code)) {
      out += kReplacement;
      i += n == 0 ? 1 : n;
      continue;
    }
    switch (code) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\r': out += "&#13;"; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      default: out.append(bytes.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string junit_xml(const JunitInput& in) {
  std::size_t failures = 0, errors = 0, skipped = 0;
  for (const auto& r : *in.results) {
    failures += is_failure(r.status);
    errors += r.status == StepStatus::error;
    skipped += is_skipped(r.status);
  }
  std::string counts = attr("tests", std::to_string(in.results->size())) + attr("failures", std::to_string(failures)) +
                       attr("errors", std::to_string(errors)) + attr("skipped", std::to_string(skipped)) +
                       attr("time", seconds(in.duration));
  std::string text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites" + attr("name", "parstep") + counts +
                     ">\n  <testsuite" + attr("name", "parstep") + counts +
                     attr("timestamp", timestamp(in.started_at)) + ">\n";
  for (std::size_t i = 0; i < in.results->size(); ++i) text += testcase(in, i);
  return text + "  </testsuite>\n</testsuites>\n";
}

}  // namespace parstep
