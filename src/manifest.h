#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "options.h"
#include "step.h"

namespace parstep {

/// A manifest that cannot be used; what() is the whole one-line message
/// ("build.json:7:9: steps[2].timout: unknown key").
struct ManifestError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A JSON manifest (SPEC 3), validated. Steps carry their own keys only;
/// resolve() layers the top level and the command line over them.
struct Manifest {
  Settings settings;  ///< top-level jobs, on_error, output, timeouts, retries
  std::string cwd;
  std::string history;  ///< SPEC 8 `history`: a path; empty: none
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<StepSpec> steps;
  std::vector<Settings> step_settings;  ///< by step: its own timeout, silent_timeout, retries

  /// The steps with every setting resolved: command line over step over top level.
  std::vector<StepSpec> resolve(const Settings& command_line) const;
};

/// Parses and validates `text`; `file` names it in messages. Throws
/// ManifestError for malformed JSON and for anything SPEC 3 forbids.
Manifest parse_manifest(std::string_view text, const std::string& file);

/// Applies `settings`' timeout, silent_timeout and retries to a step.
void apply_step_settings(StepSpec& step, const Settings& settings);

}  // namespace parstep
