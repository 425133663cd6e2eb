#pragma once

#include <string>

#include "options.h"

namespace parstep {

/// Checks, before anything runs, that parstep can write where it was told
/// to: --report, --trace and --junit are safe paths (safe_path.h) in a
/// writable directory, and --log-dir is a safe, writable directory
/// (created here when missing). Throws UsageError naming the option or path.
void check_output_paths(const RunOptions& run);

/// Checks that `path` (a file parstep writes when the run ends, such as
/// --history) is safe and its directory writable now; `option` names it in
/// the message ("--history: cannot use h/x.json: h is not a writable
/// directory"). Throws UsageError.
void check_writable_directory(const std::string& option, const std::string& path);

}  // namespace parstep
