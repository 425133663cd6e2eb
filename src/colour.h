#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parstep {

/// --color and --progress: auto, always or never.
enum class When { automatic, always, never };

/// What decides colour (SPEC 2, Colour): the option, whether stdout is a
/// terminal, and the variables' values (null: unset).
struct ColourInputs {
  When when = When::automatic;
  bool stdout_is_terminal = false;
  const char* term = nullptr;
  const char* no_color = nullptr;
  const char* clicolor_force = nullptr;
};

/// On with `always`; with `auto` when stdout is a terminal, TERM is not
/// "dumb" and NO_COLOR is unset or empty, or when CLICOLOR_FORCE is set,
/// non-empty and not "0". Off otherwise.
bool colour_on(const ColourInputs& in);

/// What steps' environments get for colour on or off: variables to set and
/// variables to remove. On: CLICOLOR_FORCE=1 FORCE_COLOR=1, no NO_COLOR.
/// Off: NO_COLOR=1, no CLICOLOR_FORCE or FORCE_COLOR.
struct ColourEnvironment {
  std::vector<std::pair<std::string, std::string>> set;
  std::vector<std::string> unset;
};
ColourEnvironment colour_environment(bool on);

/// Whether a terminal described by TERM (null: unset) understands "\r" and
/// ESC sequences: anything but "dumb" (SPEC 2).
bool capable_terminal(const char* term);

enum class Paint { red, yellow };

/// `text` wrapped in the SGR sequence for `paint` and a reset, when `on`;
/// else `text` unchanged. A trailing newline stays outside the colour.
std::string paint(std::string_view text, Paint paint, bool on);

}  // namespace parstep
