#include "ci_markers.h"

#include <sys/random.h>

#include <cstdio>
#include <string_view>

#include "summary.h"

namespace parstep {
namespace {

bool is_true(const char* value) { return value != nullptr && std::string_view(value) == "true"; }

std::string escape(std::string_view text, bool property) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      case ':': out += property ? "%3A" : ":"; break;
      case ',': out += property ? "%2C" : ","; break;
      default: out += c;
    }
  }
  return out;
}

// A table cell: one line, '|' escaped.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

std::string table_row(const StepSpec& spec, const StepResult& r) {
  std::string result = r.succeeded() ? "ok" : "**" + cell(r.describe()) + "**";
  bool ran = r.attempts > 0;
  return "| " + cell(spec.name) + " | " + result + " | " + (ran ? format_duration(r.duration) : "") + " | " +
         std::to_string(r.attempts) + " |\n";
}

}  // namespace

CiPlatform detect_ci(const char* github_actions, const char* gitlab_ci) {
  if (is_true(github_actions)) return CiPlatform::github;
  if (is_true(gitlab_ci)) return CiPlatform::gitlab;
  return CiPlatform::none;
}

std::string github_escape_data(std::string_view text) { return escape(text, false); }
std::string github_escape_property(std::string_view text) { return escape(text, true); }

std::string CiMarkers::open(std::size_t index, std::int64_t unix_time, bool folded, std::string_view header) const {
  std::string h(header);
  switch (platform) {
    case CiPlatform::none: return h + "\n";
    case CiPlatform::github: return folded ? "::group::" + github_escape_data(h) + "\n" : h + "\n";
    case CiPlatform::gitlab:
      return "\033[0Ksection_start:" + std::to_string(unix_time) + ":parstep_" + std::to_string(index) +
             (folded ? "[collapsed=true]" : "") + "\r\033[0K" + h + "\n";
  }
  return h + "\n";
}

std::string CiMarkers::before_output() const {
  return platform == CiPlatform::github ? "::stop-commands::" + token + "\n" : "";
}

std::string CiMarkers::after_output() const { return platform == CiPlatform::github ? "::" + token + "::\n" : ""; }

std::string CiMarkers::close(std::size_t index, std::int64_t unix_time, bool folded, std::string_view name,
                             std::string_view what) const {
  switch (platform) {
    case CiPlatform::none: return "";
    case CiPlatform::github: {
      std::string text = folded ? "::endgroup::\n" : "";
      if (!what.empty()) text += "::error title=" + github_escape_property(name) + "::" + github_escape_data(what) + "\n";
      return text;
    }
    case CiPlatform::gitlab:
      return "\033[0Ksection_end:" + std::to_string(unix_time) + ":parstep_" + std::to_string(index) + "\r\033[0K\n";
  }
  return "";
}

std::string random_token() {
  unsigned char bytes[16] = {};
  if (getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    // No entropy source: the address of a stack object and the clock still
    // make a token a step cannot know in advance.
    auto seed = reinterpret_cast<std::uintptr_t>(&bytes) ^ static_cast<std::uintptr_t>(time(nullptr));
    for (std::size_t i = 0; i < sizeof bytes; ++i) bytes[i] = static_cast<unsigned char>(seed >> (i % 8 * 8));
  }
  std::string token;
  char hex[3];
  for (unsigned char b : bytes) {
    std::snprintf(hex, sizeof hex, "%02x", b);
    token += hex;
  }
  return token;
}

std::string github_summary_table(const std::vector<StepSpec>& steps, const std::vector<StepResult>& results) {
  std::string text = "### parstep\n\n| step | result | duration | attempts |\n|---|---|---|---|\n";
  for (bool failures : {true, false}) {
    for (std::size_t i = 0; i < results.size(); ++i)
      if (results[i].succeeded() != failures) text += table_row(steps[i], results[i]);
  }
  return text;
}

}  // namespace parstep
