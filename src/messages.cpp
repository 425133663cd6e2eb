#include "messages.h"

#include "colour.h"

namespace parstep {

std::string message_line(std::string_view text) {
  std::string line(kMessagePrefix);
  line.append(text);
  return line + "\n";
}

std::string error_line(std::string_view text) { return message_line("error: " + std::string(text)); }

std::string warning_line(std::string_view text, bool colour) {
  return paint(message_line("warning: " + std::string(text)), Paint::yellow, colour);
}

}  // namespace parstep
