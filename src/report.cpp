#include "report.h"

#include <ctime>
#include <nlohmann/json.hpp>

namespace parstep {

std::string iso8601(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03lldZ", static_cast<long long>(ms % 1000));
  return text;
}

namespace {

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

nlohmann::json step_json(const StepSpec& spec, const StepResult& r, std::size_t index, const std::string& log) {
  nlohmann::json step = {{"name", spec.name}, {"index", index}};
  if (spec.is_argv()) step["argv"] = spec.argv;
  else step["command"] = spec.command;
  step["status"] = to_string(r.status);
  step["exit_code"] = r.exit && r.exit->code() ? nlohmann::json(*r.exit->code()) : nlohmann::json();
  step["signal"] = r.exit && r.exit->signal() ? nlohmann::json(signal_name(*r.exit->signal())) : nlohmann::json();
  bool ran = r.attempts > 0;
  step["started_at"] = ran ? nlohmann::json(iso8601(r.started_at)) : nlohmann::json();
  step["duration_s"] = ran ? nlohmann::json(seconds(r.duration)) : nlohmann::json();
  step["attempts"] = r.attempts;
  step["slot"] = ran ? nlohmann::json(r.slot) : nlohmann::json();
  step["output_bytes"] = r.output_bytes;
  if (!log.empty()) step["log"] = log;
  if (r.status == StepStatus::error) step["error"] = r.error;
  return step;
}

}  // namespace

std::string report_json(const ReportInput& in) {
  nlohmann::json steps = nlohmann::json::array();
  for (std::size_t i = 0; i < in.steps->size(); ++i)
    steps.push_back(step_json((*in.steps)[i], (*in.results)[i], i, in.logs ? (*in.logs)[i] : ""));
  nlohmann::json report = {
      {"parstep_version", PARSTEP_VERSION},
      {"started_at", iso8601(in.started_at)},
      {"duration_s", seconds(in.duration)},
      {"jobs", in.jobs},
      {"on_error", to_string(in.on_error)},
      {"exit_code", in.exit_code},
      {"steps", std::move(steps)},
  };
  // Step names and commands may hold any bytes; invalid UTF-8 is replaced
  // rather than making the report unwritable.
  return report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace parstep
