#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "step.h"

namespace parstep {

/// Which CI log format parstep's blocks are marked for (SPEC 2, --ci).
enum class CiPlatform { none, github, gitlab };

/// --ci auto: github when GITHUB_ACTIONS is "true", gitlab when GITLAB_CI is
/// "true", else none. Arguments are the variables' values (null: unset).
CiPlatform detect_ci(const char* github_actions, const char* gitlab_ci);

/// GitHub workflow-command escaping: the message part (% \r \n) and a
/// property value (also : and ,).
std::string github_escape_data(std::string_view text);
std::string github_escape_property(std::string_view text);

/// The marker lines parstep writes around one block. Pure text: the runner
/// decides when. `header` is the header line without its newline; every
/// returned string ends with a newline.
/// GitHub: a step's own bytes are bracketed with `::stop-commands::TOKEN`
/// ... `::TOKEN::` so that workflow commands it prints (`::endgroup::`,
/// `::group::`) are shown as text and cannot break parstep's structure.
struct CiMarkers {
  CiPlatform platform = CiPlatform::none;
  std::string token;  ///< GitHub stop-commands token: unguessable, one per run

  /// Before the block's header: GitLab's section start (collapsed when
  /// `collapsed`); GitHub's `::group::` line carries the header itself.
  /// Returns the text that replaces "header\n".
  std::string open(std::size_t index, std::int64_t unix_time, bool folded, std::string_view header) const;
  /// Before / after the step's own bytes (GitHub: stop-commands).
  std::string before_output() const;
  std::string after_output() const;
  /// After the block: end of the fold/section; for a failed step on GitHub,
  /// the `::error` annotation. `what` is empty for a step that succeeded.
  std::string close(std::size_t index, std::int64_t unix_time, bool folded, std::string_view name,
                    std::string_view what) const;
};

/// A random token fit for `::stop-commands::` (32 hex digits).
std::string random_token();

/// GitHub's job summary ($GITHUB_STEP_SUMMARY): a Markdown table of the
/// steps (name, result, duration, attempts), those that did not succeed
/// first, each group in the given order.
std::string github_summary_table(const std::vector<StepSpec>& steps, const std::vector<StepResult>& results);

}  // namespace parstep
