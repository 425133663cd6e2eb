#pragma once

#include <stdexcept>

namespace parstep {

/// A bad request (command line, manifest, output path, jobserver): nothing
/// has run. what() is the one-line message without "parstep: error: "; the
/// caller prints it with error_line() and exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace parstep
