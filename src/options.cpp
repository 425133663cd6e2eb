#include "options.h"

#include "vocabulary.h"

namespace parstep {

Settings overlay(const Settings& over, const Settings& under) {
  Settings s;
  s.jobs = over.jobs ? over.jobs : under.jobs;
  s.on_error = over.on_error ? over.on_error : under.on_error;
  s.output = over.output ? over.output : under.output;
  s.timeout = over.timeout ? over.timeout : under.timeout;
  s.silent_timeout = over.silent_timeout ? over.silent_timeout : under.silent_timeout;
  s.retries = over.retries ? over.retries : under.retries;
  s.launcher = over.launcher ? over.launcher : under.launcher;
  return s;
}

std::string_view to_string(OnError mode) { return kOnErrorNames.name_of(mode); }

std::string_view to_string(OutputMode mode) { return kOutputNames.name_of(mode); }

}  // namespace parstep
