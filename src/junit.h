#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "step.h"

namespace parstep {

/// The most of one step's output a JUnit file carries (its last bytes).
inline constexpr std::size_t kJunitOutputLimit = 1 << 20;

/// What the JUnit XML report (SPEC 5) is made from.
struct JunitInput {
  std::chrono::system_clock::time_point started_at;
  std::chrono::steady_clock::duration duration{};
  const std::vector<StepSpec>* steps = nullptr;
  const std::vector<StepResult>* results = nullptr;
  const std::vector<std::string>* tails = nullptr;  ///< by step: last lines, for <failure>; may be empty
  /// A step's output for <system-out> (already cut to its last bytes);
  /// called once per step that ran, in order.
  std::function<std::string(std::size_t)> output;
};

/// The JUnit XML document: one <testsuites>, one <testsuite name="parstep">,
/// one <testcase> per step in the given order. Well-formed whatever bytes
/// the steps wrote.
std::string junit_xml(const JunitInput& in);

/// `bytes` as XML character data (attribute-safe too): & < > " escaped,
/// tab, newline and carriage return as character references when
/// `attribute` (else \r only), and every byte sequence that is not valid
/// UTF-8 or not a character XML 1.0 allows replaced by U+FFFD.
std::string xml_escape(std::string_view bytes, bool attribute);

}  // namespace parstep
