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
  Settings settings;  ///< top-level jobs, on_error, output, timeouts, retries, launcher
  std::string cwd;
  std::string history;  ///< SPEC 8 `history`: a path; empty: none
  bool pty = false;     ///< `"pty": true`: as --pty (SPEC 2)
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<StepSpec> steps;
  std::vector<Settings> step_settings;  ///< by step: its own timeout, silent_timeout, retries, launcher

  /// The steps with every setting resolved: command line over step over top level.
  std::vector<StepSpec> resolve(const Settings& command_line) const;
};

/// Parses and validates `text`; `file` names it in messages. Throws
/// ManifestError for malformed JSON and for anything SPEC 3 forbids.
Manifest parse_manifest(std::string_view text, const std::string& file);

/// One step as written, before the top level and the command line apply.
struct ManifestStep {
  StepSpec spec;      ///< its name: the one it sets, else the default (command or argv joined)
  Settings settings;  ///< its own timeout, silent_timeout, retries, launcher
  bool named = false; ///< the name was set explicitly
};

/// Parses one step given alone (a JSON string or object, as in `steps`),
/// e.g. one line of a JSON queue, with the manifest's validation. `file`
/// and `line` (where `text` starts) place messages: "<stdin>:7:9: argv:
/// expected a non-empty array of strings". Throws ManifestError.
ManifestStep parse_step(std::string_view text, const std::string& file, std::size_t line);

/// Applies `settings`' timeout, silent_timeout, retries and launcher to a step.
void apply_step_settings(StepSpec& step, const Settings& settings);

}  // namespace parstep
