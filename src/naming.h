#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>

namespace parstep {

/// Hands out unique step names (SPEC 1): when a default name repeats, the
/// later ones get " #2", " #3", ... Owns the set of names given so far.
class StepNamer {
 public:
  std::string add_default(const std::string& name);
  /// Takes a name set explicitly; false (and nothing taken) when it is taken already.
  bool add_explicit(const std::string& name);

 private:
  std::unordered_set<std::string> taken_;
  std::unordered_map<std::string, unsigned> repeats_;  ///< last suffix used per base name
};

}  // namespace parstep
