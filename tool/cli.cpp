// cxxopts splits vector values at its delimiter (',' by default), which
// would cut shell commands apart; no command line can contain a NUL.
#define CXXOPTS_VECTOR_DELIMITER '\0'
#include "cli.h"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cxxopts.hpp>

#include "cpu_count.h"
#include "duration.h"
#include "env_options.h"
#include "option_table.h"
#include "vocabulary.h"
#include "words.h"

namespace parstep {
namespace {

// A whole number of at most 9 digits, no sign or blank, up to `max`.
std::optional<unsigned> whole_number(const std::string& text, unsigned max) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  unsigned long n = std::stoul(text);
  return n <= max ? std::optional<unsigned>(static_cast<unsigned>(n)) : std::nullopt;
}

// "N", or "N%" of the CPU count (at least 1).
unsigned parse_jobs(const std::string& text) {
  bool percent = text.ends_with('%');
  auto n = whole_number(percent ? text.substr(0, text.size() - 1) : text, kMaxJobs);
  if (!n || (percent && *n == 0))
    throw UsageError("--jobs: expected a whole number from 0 (no limit) to " + std::to_string(kMaxJobs) +
                     ", or a share of the CPUs like 50%, got '" + text + "'");
  return percent ? share_of_cpus(*n, cpu_count()) : *n;
}

// allow_zero: --kill-after 0 kills at once; a timeout of 0 means nothing.
std::chrono::milliseconds parse_seconds(const std::string& option, const std::string& text, bool allow_zero) {
  auto d = parse_duration(text);
  if (!d || (!allow_zero && d->count() == 0)) {
    throw UsageError(option + ": expected a duration " + (allow_zero ? "" : "greater than 0 ") + "(" +
                     std::string(kDurationForms) + "), got '" + text + "'");
  }
  return *d;
}

unsigned parse_retries(const std::string& text) {
  auto n = whole_number(text, kMaxRetries);
  if (!n)
    throw UsageError("--retries: expected a whole number from 0 to " + std::to_string(kMaxRetries) + ", got '" + text +
                     "'");
  return *n;
}

// One of `vocabulary`'s names, given to --`option`.
template <typename Value, std::size_t N>
Value parse_choice(const char* option, const Vocabulary<Value, N>& vocabulary, const std::string& text) {
  if (auto found = vocabulary.find(text)) return *found;
  throw UsageError(std::string("--") + option + ": expected " + vocabulary.listed() + ", got '" + text + "'");
}

// --launcher 'srun --quiet --ntasks=1 --': shell-like words, no expansion.
std::vector<std::string> parse_launcher(const std::string& text) {
  std::vector<std::string> words;
  try {
    words = split_words(text);
  } catch (const WordsError& e) {
    throw UsageError("--launcher: " + std::string(e.what()) + " in '" + text + "'");
  }
  if (words.empty() || words[0].empty()) throw UsageError("--launcher: expected a command, got '" + text + "'");
  return words;
}

void check_queue_format(const CommandLine& cl) {
  if (cl.queue_format == QueueFormat::json && (!cl.manifest.empty() || !cl.commands.empty()))
    throw UsageError("--queue-format json applies to steps read from stdin: give no COMMAND and no -f with it");
}

// The options of option_table(), and the steps as positional arguments.
cxxopts::Options make_options() {
  cxxopts::Options o("parstep");
  for (const OptionSpec& spec : option_table()) {
    auto value = spec.value.empty() ? cxxopts::value<bool>() : cxxopts::value<std::string>();
    o.add_option("", std::string(spec.short_name), std::string(spec.long_name), "", value, "");
  }
  o.add_option("", "", std::string("commands"), "", cxxopts::value<std::vector<std::string>>(), "");
  o.parse_positional({"commands"});
  return o;
}

// cxxopts writes ‘name’ with typographic quotes and a capital letter.
std::string plain_message(std::string text) {
  for (const char* quote : {"\u2018", "\u2019"}) {
    for (std::size_t at; (at = text.find(quote)) != std::string::npos;) text.replace(at, 3, "'");
  }
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

}  // namespace

unsigned available_cpus() { return cpu_count(); }

namespace {

cxxopts::ParseResult parse_words(const std::vector<const char*>& words) {
  try {
    return make_options().parse(static_cast<int>(words.size()), words.data());
  } catch (const cxxopts::exceptions::exception& e) {
    throw UsageError(plain_message(e.what()) + " (see parstep --help)");
  }
}

/// The options of one parse: which were given, and their text.
struct Given {
  const cxxopts::ParseResult& result;
  bool operator()(const char* name) const { return result.count(name) > 0; }
  std::string text(const char* name) const { return result[name].as<std::string>(); }
};

// What a manifest may also set.
void apply_settings(const Given& given, Settings& s) {
  if (given("jobs")) s.jobs = parse_jobs(given.text("jobs"));
  if (given("on-error")) s.on_error = parse_choice("on-error", kOnErrorNames, given.text("on-error"));
  if (given("halt-on-error")) s.on_error = OnError::halt;
  if (given("output")) s.output = parse_choice("output", kOutputNames, given.text("output"));
  if (given("timeout")) s.timeout = parse_seconds("--timeout", given.text("timeout"), false);
  if (given("silent-timeout")) s.silent_timeout = parse_seconds("--silent-timeout", given.text("silent-timeout"), false);
  if (given("retries")) s.retries = parse_retries(given.text("retries"));
  if (given("launcher")) s.launcher = parse_launcher(given.text("launcher"));
}

void apply_paths(const Given& given, CommandLine& cl) {
  for (auto [option, path] : {std::pair{"report", &cl.run.report_path}, {"log-dir", &cl.run.log_dir},
                              {"trace", &cl.run.trace_path}, {"junit", &cl.run.junit_path},
                              {"file", &cl.manifest}, {"history", &cl.history}}) {
    if (!given(option)) continue;
    *path = given.text(option);
    if (path->empty()) throw UsageError(std::string("--") + option + ": expected a path, got ''");
  }
}

void apply_schedule(const Given& given, CommandLine& cl) {
  if (given("schedule")) cl.schedule_longest = parse_choice("schedule", kScheduleNames, given.text("schedule"));
  cl.rerun_failed = cl.rerun_failed || given("rerun-failed");
}

// Sets in `cl` what `r` gives, leaving the rest as it was: PARSTEP_OPTIONS
// is applied first, then the command line over it. A flag cannot be unset.
void apply(const cxxopts::ParseResult& r, CommandLine& cl) {
  Given given{r};
  apply_settings(given, cl.settings);
  apply_paths(given, cl);
  apply_schedule(given, cl);
  cl.help = cl.help || given("help");
  cl.version = cl.version || given("version");
  cl.dry_run = cl.dry_run || given("dry-run");
  cl.run.output_on_failure = cl.run.output_on_failure || given("output-on-failure");
  cl.run.no_header = cl.run.no_header || given("no-header");
  cl.run.pty = cl.run.pty || given("pty");
  if (given("kill-after")) cl.run.kill_after = parse_seconds("--kill-after", given.text("kill-after"), true);
  if (given("shell")) cl.run.shell = given.text("shell");
  if (cl.run.shell.empty()) throw UsageError("--shell: expected a program, got ''");
  if (given("shell")) cl.run.direct_plain_commands = false;
  cl.jobserver = cl.jobserver || given("jobserver");
  if (given("jobserver-style"))
    cl.jobserver_style = parse_choice("jobserver-style", kJobserverStyleNames, given.text("jobserver-style"));
  if (given("queue-format"))
    cl.queue_format = parse_choice("queue-format", kQueueFormatNames, given.text("queue-format"));
  if (given("progress")) cl.progress = parse_choice("progress", kWhenNames, given.text("progress"));
  if (given("color")) cl.color = parse_choice("color", kWhenNames, given.text("color"));
  if (given("ci")) cl.ci = parse_choice("ci", kCiNames, given.text("ci"));
  if (given("commands")) cl.commands = r["commands"].as<std::vector<std::string>>();
}

// SPEC 1: PARSTEP_OPTIONS holds options only, never steps.
void apply_env_options(const char* env_options, CommandLine& cl) {
  std::vector<std::string> words = split_option_words(env_options);
  std::vector<const char*> argv{"parstep"};
  for (const auto& word : words) argv.push_back(word.c_str());
  try {
    cxxopts::ParseResult r = parse_words(argv);
    if (r.count("commands"))
      throw UsageError("holds options only, not steps: '" + r["commands"].as<std::vector<std::string>>()[0] + "'");
    if (r.count("file")) throw UsageError("holds options only, not steps: '-f'");
    apply(r, cl);
  } catch (const UsageError& e) {
    throw UsageError(std::string("PARSTEP_OPTIONS: ") + e.what());
  }
}

}  // namespace

CommandLine parse_command_line(int argc, const char* const* argv, const char* env_options) {
  CommandLine cl;
  if (env_options != nullptr) apply_env_options(env_options, cl);
  apply(parse_words(std::vector<const char*>(argv, argv + argc)), cl);
  for (std::size_t i = 0; i < cl.commands.size(); ++i) {
    if (cl.commands[i].find_first_not_of(" \t\n") == std::string::npos)
      throw UsageError("step " + std::to_string(i + 1) + " is an empty command");
  }
  if (!cl.manifest.empty() && !cl.commands.empty())
    throw UsageError("-f reads the steps from a manifest: give no COMMAND with it");
  check_queue_format(cl);
  return cl;
}

}  // namespace parstep
