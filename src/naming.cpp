#include "naming.h"

namespace parstep {

std::string StepNamer::add_default(const std::string& name) {
  std::string unique = name;
  if (taken_.contains(name)) {
    unsigned& n = repeats_[name];
    if (n == 0) n = 1;
    do unique = name + " #" + std::to_string(++n);
    while (taken_.contains(unique));
  }
  taken_.insert(unique);
  return unique;
}

bool StepNamer::add_explicit(const std::string& name) { return taken_.insert(name).second; }

}  // namespace parstep
