#include "manifest.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "argument_file.h"
#include "duration.h"
#include "json_position.h"
#include "naming.h"
#include "vocabulary.h"

namespace parstep {
namespace {

using json = nlohmann::json;

// Keeps a message on one clean line: control characters, and with
// `escape_high` every byte from 0x80 (a parser message may quote invalid
// UTF-8), are shown as \\xHH. Keys and names from a valid document are UTF-8
// and stay readable.
std::string printable(const std::string& text, bool escape_high) {
  std::string shown;
  for (unsigned char c : text) {
    if (c >= 0x20 && c != 0x7f && (c < 0x80 || !escape_high)) {
      shown += static_cast<char>(c);
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      shown += hex;
    }
  }
  return shown;
}

// Validation walks the document with its path, so every message can name
// the key path and, found again in the text, the line and column.
class Checker {
 public:
  /// `first_line`: the line of `file` that `text` starts on.
  Checker(std::string_view text, std::string file, std::size_t first_line = 1)
      : text_(text), file_(std::move(file)), first_line_(first_line) {}

  [[noreturn]] void fail(const std::vector<JsonPathStep>& path, const std::string& problem) const {
    std::string where = file_;
    if (auto offset = find_json_path(text_, path)) {
      TextPosition p = position_of(text_, *offset);
      where += ":" + std::to_string(p.line + first_line_ - 1) + ":" + std::to_string(p.column);
    }
    std::string key = format_json_path(path);
    // Keys and names come from the input and may hold newlines.
    throw ManifestError(printable(where + ": " + (key.empty() ? "" : key + ": ") + problem, false));
  }

  void only_keys(const json& object, std::vector<JsonPathStep> path, const std::set<std::string>& allowed) const {
    for (const auto& [key, value] : object.items()) {
      if (allowed.contains(key)) continue;
      path.push_back(key);
      fail(path, "unknown key");
    }
  }

  bool boolean(const json& value, const std::vector<JsonPathStep>& path) const {
    if (!value.is_boolean()) fail(path, "expected true or false, got " + type_of(value));
    return value.get<bool>();
  }

  std::string string(const json& value, const std::vector<JsonPathStep>& path) const {
    if (!value.is_string()) fail(path, "expected a string, got " + type_of(value));
    return value.get<std::string>();
  }

  // An argument or cwd: a string, or {"file": PATH} for the bytes of
  // that file (how the CMake module hands over generator-expression
  // results, which need no escaping that way).
  std::string argument(const json& value, std::vector<JsonPathStep> path) const {
    if (!value.is_object()) return string(value, path);
    only_keys(value, path, {"file"});
    if (!value.contains("file")) fail(path, "expected a string or {\"file\": PATH}");
    path.push_back(std::string("file"));
    std::string problem;
    auto bytes = read_argument_file(string(value["file"], path), problem);
    if (!bytes) fail(path, problem);
    return *bytes;
  }

  unsigned whole(const json& value, const std::vector<JsonPathStep>& path, unsigned max) const {
    bool ok = value.is_number_unsigned() && value.get<std::uint64_t>() <= max;
    if (!ok)
      fail(path, "expected a whole number from 0 to " + std::to_string(max) + ", got " + value.dump());
    return static_cast<unsigned>(value.get<std::uint64_t>());
  }

  // A number of seconds or a duration string ("10m"), greater than 0.
  std::chrono::milliseconds seconds(const json& value, const std::vector<JsonPathStep>& path) const {
    std::optional<std::chrono::milliseconds> d;
    if (value.is_number()) d = duration_from_seconds(value.get<double>());
    if (value.is_string()) d = parse_duration(value.get<std::string>());
    if (!d || d->count() == 0)
      fail(path, "expected a duration greater than 0 (seconds, or a string like \"1.5m\"), got " + value.dump());
    return *d;
  }

  std::vector<std::pair<std::string, std::string>> env(const json& value, std::vector<JsonPathStep> path) const {
    if (!value.is_object()) fail(path, "expected an object of strings, got " + type_of(value));
    std::vector<std::pair<std::string, std::string>> result;
    for (const auto& [key, v] : value.items()) {
      path.push_back(key);
      if (key.empty() || key.find('=') != std::string::npos || key.find('\0') != std::string::npos)
        fail(path, "not a valid environment variable name");
      result.emplace_back(key, string(v, path));
      path.pop_back();
    }
    return result;
  }

  // An argv-like array: strings, the first (the program) not empty.
  std::vector<std::string> words(const json& value, const std::vector<JsonPathStep>& path) const {
    if (!value.is_array()) fail(path, "expected an array of strings, got " + type_of(value));
    std::vector<std::string> result;
    auto element = path;
    element.emplace_back(std::size_t{0});
    for (std::size_t i = 0; i < value.size(); ++i) {
      element.back() = i;
      result.push_back(string(value[i], element));
    }
    if (!result.empty() && result[0].empty()) fail(path, "the program name is empty");
    return result;
  }

  static std::string type_of(const json& value) {
    if (value.is_number()) return "a number";
    if (value.is_string()) return "a string";
    if (value.is_boolean()) return "a boolean";
    if (value.is_null()) return "null";
    return value.is_array() ? "an array" : "an object";
  }

 private:
  std::string_view text_;
  std::string file_;
  std::size_t first_line_;
};

// A name from `vocabulary` ("on_error": "halt").
template <typename Value, std::size_t N>
Value choice_of(const Vocabulary<Value, N>& vocabulary, const json& value, const Checker& c,
            const std::vector<JsonPathStep>& path) {
  std::string text = c.string(value, path);
  if (auto found = vocabulary.find(text)) return *found;
  c.fail(path, "expected " + vocabulary.listed() + ", got \"" + text + "\"");
}

// The keys a step and the top level share.
void read_limits(const json& object, const std::vector<JsonPathStep>& path, const Checker& c, Settings& s) {
  auto at = [&](const char* key) {
    auto p = path;
    p.push_back(std::string(key));
    return p;
  };
  if (object.contains("timeout")) s.timeout = c.seconds(object["timeout"], at("timeout"));
  if (object.contains("silent_timeout")) s.silent_timeout = c.seconds(object["silent_timeout"], at("silent_timeout"));
  if (object.contains("retries")) s.retries = c.whole(object["retries"], at("retries"), kMaxRetries);
  if (object.contains("launcher")) s.launcher = c.words(object["launcher"], at("launcher"));
}

ManifestStep read_step(const json& value, std::vector<JsonPathStep> path, const Checker& c) {
  ManifestStep step;
  if (value.is_string()) {
    step.spec.command = value.get<std::string>();
    if (step.spec.command.find_first_not_of(" \t\n") == std::string::npos) c.fail(path, "empty command");
    return step;
  }
  if (!value.is_object()) c.fail(path, "expected a command string or an object, got " + Checker::type_of(value));
  c.only_keys(value, path, {"name", "argv", "shell", "cwd", "env", "timeout", "silent_timeout", "retries",
                          "launcher"});
  if (value.contains("argv") == value.contains("shell"))
    c.fail(path, "needs exactly one of \"argv\" and \"shell\"");
  auto sub = [&](const char* key) {
    auto p = path;
    p.push_back(key);
    return p;
  };
  if (value.contains("shell")) {
    step.spec.command = c.string(value["shell"], sub("shell"));
    if (step.spec.command.find_first_not_of(" \t\n") == std::string::npos) c.fail(sub("shell"), "empty command");
  } else {
    const json& argv = value["argv"];
    if (!argv.is_array() || argv.empty()) c.fail(sub("argv"), "expected a non-empty array of strings");
    for (std::size_t i = 0; i < argv.size(); ++i) {
      auto p = sub("argv");
      p.push_back(i);
      step.spec.argv.push_back(c.argument(argv[i], p));
    }
    if (step.spec.argv[0].empty()) c.fail(sub("argv"), "the program name is empty");
  }
  if (value.contains("name")) {
    step.spec.name = c.string(value["name"], sub("name"));
    if (step.spec.name.empty()) c.fail(sub("name"), "must not be empty");
    step.named = true;
  }
  if (value.contains("cwd")) step.spec.cwd = c.argument(value["cwd"], sub("cwd"));
  if (value.contains("env")) step.spec.env = c.env(value["env"], sub("env"));
  read_limits(value, path, c, step.settings);
  return step;
}

std::string default_name(const StepSpec& spec) {
  if (!spec.is_argv()) return spec.command;
  std::string name;
  for (const auto& word : spec.argv) name += (name.empty() ? "" : " ") + word;
  return name;
}

json parse_json(std::string_view text, const std::string& file, std::size_t first_line = 1) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    TextPosition p = position_of(text, e.byte == 0 ? 0 : e.byte - 1);
    std::string message = e.what();
    auto colon = message.find(": ", message.find("column"));
    if (colon != std::string::npos) message = message.substr(colon + 2);
    throw ManifestError(file + ":" + std::to_string(p.line + first_line - 1) + ":" + std::to_string(p.column) + ": " +
                        printable(message, true));
  } catch (const json::exception& e) {
    // Not a syntax error but still bad input: a number out of range (1e400).
    std::string message = e.what();
    auto id_end = message.find("] ");
    if (id_end != std::string::npos) message = message.substr(id_end + 2);
    throw ManifestError(file + ": " + printable(message, true));
  }
}

}  // namespace

Manifest parse_manifest(std::string_view text, const std::string& file) {
  json doc = parse_json(text, file);
  Checker c(text, file);
  Manifest m;
  const json* steps = &doc;
  if (doc.is_object()) {
    c.only_keys(doc, {}, {"jobs", "on_error", "output", "timeout", "silent_timeout", "retries", "cwd", "env", "history",
                          "launcher", "pty", "steps"});
    if (!doc.contains("steps")) c.fail({}, "missing key \"steps\"");
    steps = &doc["steps"];
    if (doc.contains("jobs")) m.settings.jobs = c.whole(doc["jobs"], {"jobs"}, kMaxJobs);
    if (doc.contains("on_error")) m.settings.on_error = choice_of(kOnErrorNames, doc["on_error"], c, {"on_error"});
    if (doc.contains("output")) m.settings.output = choice_of(kOutputNames, doc["output"], c, {"output"});
    if (doc.contains("cwd")) m.cwd = c.string(doc["cwd"], {"cwd"});
    if (doc.contains("history")) m.history = c.string(doc["history"], {"history"});
    if (doc.contains("history") && m.history.empty()) c.fail({"history"}, "expected a path, got \"\"");
    if (doc.contains("env")) m.env = c.env(doc["env"], {"env"});
    if (doc.contains("pty")) m.pty = c.boolean(doc["pty"], {"pty"});
    read_limits(doc, {}, c, m.settings);
  }
  std::vector<JsonPathStep> steps_path;
  if (doc.is_object()) steps_path.push_back(std::string("steps"));
  if (!steps->is_array()) c.fail(steps_path, "expected an array of steps, got " + Checker::type_of(*steps));

  std::vector<bool> named;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    auto path = steps_path;
    path.push_back(i);
    ManifestStep step = read_step((*steps)[i], path, c);
    m.steps.push_back(std::move(step.spec));
    m.step_settings.push_back(step.settings);
    named.push_back(step.named);
  }

  StepNamer namer;
  std::unordered_map<std::string, std::size_t> owner;
  for (std::size_t i = 0; i < m.steps.size(); ++i)
    if (!named[i]) m.steps[i].name = namer.add_default(default_name(m.steps[i]));
  for (std::size_t i = 0; i < m.steps.size(); ++i) {
    auto [it, fresh] = owner.emplace(m.steps[i].name, i);
    if (fresh) continue;
    std::size_t clash = named[i] ? i : it->second;
    auto path = steps_path;
    path.push_back(clash);
    path.push_back(std::string("name"));
    std::size_t other = clash == i ? it->second : i;
    c.fail(path, "\"" + m.steps[clash].name + "\" is also the name of steps[" + std::to_string(other) + "]");
  }
  return m;
}

ManifestStep parse_step(std::string_view text, const std::string& file, std::size_t line) {
  json value = parse_json(text, file, line);
  ManifestStep step = read_step(value, {}, Checker(text, file, line));
  if (!step.named) step.spec.name = default_name(step.spec);
  return step;
}

void apply_step_settings(StepSpec& step, const Settings& settings) {
  step.timeout = settings.timeout;
  step.silent_timeout = settings.silent_timeout;
  step.retries = settings.retries.value_or(0);
  step.launcher = settings.launcher.value_or(std::vector<std::string>{});
}

std::vector<StepSpec> Manifest::resolve(const Settings& command_line) const {
  std::vector<StepSpec> resolved = steps;
  for (std::size_t i = 0; i < resolved.size(); ++i) {
    StepSpec& step = resolved[i];
    apply_step_settings(step, overlay(command_line, overlay(step_settings[i], settings)));
    if (step.cwd.empty()) step.cwd = cwd;
    auto merged = env;
    merged.insert(merged.end(), step.env.begin(), step.env.end());
    step.env = std::move(merged);
  }
  return resolved;
}

}  // namespace parstep
