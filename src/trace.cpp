#include "trace.h"

#include <nlohmann/json.hpp>
#include <set>

namespace parstep {

std::string trace_json(const std::vector<TraceEvent>& events, const std::vector<StepSpec>& steps) {
  using std::chrono::duration_cast;
  using std::chrono::microseconds;
  nlohmann::json list = nlohmann::json::array();
  std::set<unsigned> slots;
  for (const auto& e : events) slots.insert(e.slot);
  for (unsigned slot : slots) {
    list.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 1}, {"tid", slot},
                    {"args", {{"name", "slot " + std::to_string(slot)}}}});
  }
  for (const auto& e : events) {
    list.push_back({{"name", steps[e.index].name},
                    {"cat", "step"},
                    {"ph", "X"},
                    {"pid", 1},
                    {"tid", e.slot},
                    {"ts", duration_cast<microseconds>(e.start).count()},
                    {"dur", duration_cast<microseconds>(e.length).count()},
                    {"args", {{"index", e.index}, {"attempt", e.attempt}, {"status", to_string(e.status)},
                              {"command", steps[e.index].display_command()}}}});
  }
  nlohmann::json trace = {{"traceEvents", std::move(list)}, {"displayTimeUnit", "ms"}};
  return trace.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace parstep
