#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace parstep {

/// What to do after a step fails (SPEC 1, --on-error).
enum class OnError { keep_going, finish, halt };

/// How step output reaches stdout (SPEC 1, --output).
enum class OutputMode { group, ordered, line };

/// Everything that shapes a run, already validated. Built by the CLI (or a
/// manifest); the library never parses text into it.
struct RunOptions {
  unsigned jobs = 1;  ///< 0: no limit
  OnError on_error = OnError::keep_going;
  OutputMode output = OutputMode::group;
  bool output_on_failure = false;
  bool no_header = false;
  std::chrono::milliseconds kill_after{5000};
  std::string shell = "/bin/sh";
};

std::string_view to_string(OnError mode);
std::string_view to_string(OutputMode mode);

}  // namespace parstep
