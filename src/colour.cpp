#include "colour.h"

namespace parstep {
namespace {

bool set_and_not(const char* value, std::string_view off) {
  return value != nullptr && *value != '\0' && std::string_view(value) != off;
}

}  // namespace

bool capable_terminal(const char* term) { return term == nullptr || std::string_view(term) != "dumb"; }

bool colour_on(const ColourInputs& in) {
  switch (in.when) {
    case When::always: return true;
    case When::never: return false;
    case When::automatic: break;
  }
  if (set_and_not(in.clicolor_force, "0")) return true;
  bool no_color = in.no_color != nullptr && *in.no_color != '\0';
  return in.stdout_is_terminal && capable_terminal(in.term) && !no_color;
}

ColourEnvironment colour_environment(bool on) {
  if (on) return {{{"CLICOLOR_FORCE", "1"}, {"FORCE_COLOR", "1"}}, {"NO_COLOR"}};
  return {{{"NO_COLOR", "1"}}, {"CLICOLOR_FORCE", "FORCE_COLOR"}};
}

std::string paint(std::string_view text, Paint paint, bool on) {
  if (!on || text.empty()) return std::string(text);
  bool newline = text.back() == '\n';
  if (newline) text.remove_suffix(1);
  std::string out = paint == Paint::red ? "\033[31m" : "\033[33m";
  out.append(text);
  out += "\033[0m";
  if (newline) out += '\n';
  return out;
}

}  // namespace parstep
