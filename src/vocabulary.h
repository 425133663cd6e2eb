#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ci_markers.h"
#include "colour.h"
#include "jobserver_posix.h"
#include "options.h"
#include "queue_reader.h"

namespace parstep {

/// The names of one set of choices (--output's group, ordered and line) and
/// what each stands for: the one place that spells them. The command line
/// (tool/cli.cpp), a manifest (manifest.cpp), the report, --help and the
/// shell completions (tool/option_table.cpp) all read them here. Holds no
/// rule about where a choice is allowed.
template <typename Value, std::size_t N>
struct Vocabulary {
  std::string_view names;       ///< in --help order, separated by single spaces
  std::array<Value, N> values;  ///< values[i] is what the i-th name means

  /// The i-th name (i < N).
  constexpr std::string_view name(std::size_t i) const {
    std::string_view rest = names;
    for (; i > 0; --i) rest.remove_prefix(rest.find(' ') + 1);
    return rest.substr(0, rest.find(' '));
  }

  /// The name of `value` (one of `values`).
  constexpr std::string_view name_of(const Value& value) const {
    for (std::size_t i = 0; i < N; ++i)
      if (values[i] == value) return name(i);
    return {};
  }

  /// What `text` names; nullopt when it is none of the names.
  constexpr std::optional<Value> find(std::string_view text) const {
    for (std::size_t i = 0; i < N; ++i)
      if (name(i) == text) return values[i];
    return std::nullopt;
  }

  /// "group, ordered or line": the names, for "expected …" messages.
  std::string listed() const {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) out += std::string(i == 0 ? "" : i + 1 == N ? " or " : ", ") + std::string(name(i));
    return out;
  }

  /// One name per value: checked where each vocabulary is defined.
  constexpr bool well_formed() const {
    std::size_t spaces = 0;
    for (char c : names) spaces += c == ' ' ? 1 : 0;
    return spaces + 1 == N && !names.empty() && names.front() != ' ' && names.back() != ' ';
  }
};

/// --on-error and the manifest's "on_error" (SPEC 1, 3).
inline constexpr Vocabulary<OnError, 3> kOnErrorNames{
    "continue finish halt", {OnError::keep_going, OnError::finish, OnError::halt}};

/// --output and the manifest's "output".
inline constexpr Vocabulary<OutputMode, 3> kOutputNames{
    "group ordered line", {OutputMode::group, OutputMode::ordered, OutputMode::line}};

/// --progress and --color.
inline constexpr Vocabulary<When, 3> kWhenNames{"auto always never", {When::automatic, When::always, When::never}};

/// --ci; nullopt (auto): decided from GITHUB_ACTIONS and GITLAB_CI.
inline constexpr Vocabulary<std::optional<CiPlatform>, 4> kCiNames{
    "auto github gitlab none", {std::nullopt, CiPlatform::github, CiPlatform::gitlab, CiPlatform::none}};

/// --jobserver-style; nullopt (auto): automatic_jobserver_style().
inline constexpr Vocabulary<std::optional<JobserverStyle>, 3> kJobserverStyleNames{
    "auto fifo pipe", {std::nullopt, JobserverStyle::fifo, JobserverStyle::pipe}};

/// --schedule: whether steps start longest first (true) or in the given order.
inline constexpr Vocabulary<bool, 2> kScheduleNames{"given longest", {false, true}};

/// --queue-format.
inline constexpr Vocabulary<QueueFormat, 2> kQueueFormatNames{"lines json", {QueueFormat::lines, QueueFormat::json}};

static_assert(kOnErrorNames.well_formed() && kOutputNames.well_formed() && kWhenNames.well_formed() &&
              kCiNames.well_formed() && kJobserverStyleNames.well_formed() && kScheduleNames.well_formed() &&
              kQueueFormatNames.well_formed());
static_assert(kOutputNames.find("ordered") == OutputMode::ordered && kOnErrorNames.name_of(OnError::halt) == "halt");

}  // namespace parstep
