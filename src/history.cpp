#include "history.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "atomic_file.h"
#include "fd.h"
#include "report.h"

namespace parstep {
namespace {

using json = nlohmann::json;

constexpr std::string_view kFormat = "parstep-history";

HistoryEntry parse_entry(const std::string& name, const json& value) {
  auto bad = [&](const std::string& what) { return HistoryError("steps[\"" + name + "\"]: " + what); };
  if (!value.is_object()) throw bad("expected an object");
  HistoryEntry e;
  if (!value.contains("command") || !value["command"].is_string()) throw bad("\"command\" must be a string");
  if (!value.contains("last") || !value["last"].is_string()) throw bad("\"last\" must be a string");
  if (!value.contains("durations") || !value["durations"].is_array()) throw bad("\"durations\" must be an array");
  e.command_hash = value["command"].get<std::string>();
  e.last = value["last"].get<std::string>();
  for (const json& d : value["durations"]) {
    if (!d.is_number() || !std::isfinite(d.get<double>()) || d.get<double>() < 0)
      throw bad("\"durations\" must hold non-negative numbers of seconds");
    e.seconds.push_back(d.get<double>());
  }
  if (value.contains("at") && value["at"].is_string()) e.at = value["at"].get<std::string>();
  return e;
}

}  // namespace

History History::parse(std::string_view text) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    std::string message = e.what();
    auto id_end = message.find("] ");
    throw HistoryError(id_end == std::string::npos ? message : message.substr(id_end + 2));
  }
  if (!doc.is_object() || doc.value("format", json()) != kFormat) throw HistoryError("no \"format\": \"parstep-history\"");
  if (doc.value("version", json()) != kVersion)
    throw HistoryError("version " + doc.value("version", json()).dump() + ", expected " + std::to_string(kVersion));
  if (!doc.contains("steps") || !doc["steps"].is_object()) throw HistoryError("\"steps\" must be an object");
  History h;
  for (const auto& [name, value] : doc["steps"].items()) h.entries_[name] = parse_entry(name, value);
  return h;
}

std::string History::to_json() const {
  json steps = json::object();
  for (const auto& [name, e] : entries_) {
    json durations = json::array();
    for (double s : e.seconds) durations.push_back(std::round(s * 1000) / 1000);
    steps[name] = {{"command", e.command_hash}, {"last", e.last}, {"durations", durations}, {"at", e.at}};
  }
  json doc = {{"format", kFormat}, {"version", kVersion}, {"steps", steps}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::optional<std::chrono::milliseconds> History::expected(const StepSpec& step) const {
  auto it = entries_.find(step.name);
  if (it == entries_.end() || it->second.seconds.empty() || it->second.command_hash != command_hash(step))
    return std::nullopt;
  std::vector<double> s = it->second.seconds;
  std::sort(s.begin(), s.end());
  double median = s.size() % 2 ? s[s.size() / 2] : (s[s.size() / 2 - 1] + s[s.size() / 2]) / 2;
  return std::chrono::milliseconds(std::llround(median * 1000));
}

bool History::failed_last_time(const std::string& name) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) return false;
  const std::string& last = it->second.last;
  return last == "failed" || last == "timed_out" || last == "hung" || last == "error";
}

bool History::last_not_ok(const std::string& name) const {
  auto it = entries_.find(name);
  return it != entries_.end() && it->second.last != "ok";
}

void History::record(const StepSpec& step, const HistoryRecord& record, const std::string& at) {
  HistoryEntry& e = entries_[step.name];
  std::string hash = command_hash(step);
  if (e.command_hash != hash) e.seconds.clear();  // another command: its old durations say nothing
  e.command_hash = hash;
  e.last = std::string(to_string(record.status));
  e.at = at;
  if (record.ok_attempt) e.seconds.push_back(record.ok_attempt->count() / 1000.0);
  if (e.seconds.size() > kKeptDurations) e.seconds.erase(e.seconds.begin(), e.seconds.end() - kKeptDurations);
}

// FNV-1a, 64 bits: stable across builds and machines (std::hash is not).
std::string command_hash(const StepSpec& step) {
  std::string text = step.is_argv() ? "argv" : "shell";
  if (step.is_argv()) {
    for (const auto& word : step.argv) text += '\0' + word;
  } else {
    text += '\0' + step.command;
  }
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

History load_history(const std::string& path, std::string& warning) {
  warning.clear();
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno != ENOENT) warning = std::string("cannot read it: ") + std::strerror(errno);
    return {};
  }
  try {
    return History::parse(read_to_end(fd.get()));
  } catch (const std::system_error& e) {
    warning = std::string("cannot read it: ") + e.code().message();
  } catch (const HistoryError& e) {
    warning = std::string("not a parstep history: ") + e.what();
  }
  return {};
}

void save_history(const std::string& path, const std::vector<StepSpec>& steps,
                  const std::vector<HistoryRecord>& records) {
  std::string lock_path = path + ".lock";
  Fd lock(open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (!lock) throw_errno("lock " + lock_path);
  int locked;
  do locked = flock(lock.get(), LOCK_EX);
  while (locked != 0 && errno == EINTR);
  if (locked != 0) throw_errno("lock " + lock_path);
  std::string ignored;  // a corrupt file was reported at start; now it is replaced
  History h = load_history(path, ignored);
  std::string at = iso8601(std::chrono::system_clock::now());
  for (std::size_t i = 0; i < steps.size() && i < records.size(); ++i) h.record(steps[i], records[i], at);
  write_file_atomically(path, h.to_json());
}  // the lock goes with its descriptor

}  // namespace parstep
