#include "options.h"

namespace parstep {

std::string_view to_string(OnError mode) {
  switch (mode) {
    case OnError::keep_going: return "continue";
    case OnError::finish: return "finish";
    case OnError::halt: return "halt";
  }
  return "continue";
}

std::string_view to_string(OutputMode mode) {
  switch (mode) {
    case OutputMode::group: return "group";
    case OutputMode::ordered: return "ordered";
    case OutputMode::line: return "line";
  }
  return "group";
}

}  // namespace parstep
