// cxxopts splits vector values at its delimiter (',' by default), which
// would cut shell commands apart; no command line can contain a NUL.
#define CXXOPTS_VECTOR_DELIMITER '\0'
#include "cli.h"

#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cxxopts.hpp>

namespace parstep {
namespace {

unsigned parse_jobs(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  unsigned long long n = std::strtoull(text.c_str(), &end, 10);
  bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || *end != '\0' || errno != 0 || n > 1000000)
    throw UsageError("--jobs: expected a whole number from 0 (no limit) to 1000000, got '" + text + "'");
  return static_cast<unsigned>(n);
}

// allow_zero: --kill-after 0 kills at once; a timeout of 0 means nothing.
std::chrono::milliseconds parse_seconds(const std::string& option, const std::string& text, bool allow_zero) {
  char* end = nullptr;
  double s = std::strtod(text.c_str(), &end);
  bool ok = !text.empty() && *end == '\0' && std::isfinite(s) && s <= 1e7 && (allow_zero ? s >= 0 : s > 0);
  if (!ok) {
    throw UsageError(option + ": expected seconds " + (allow_zero ? "" : "greater than 0 ") +
                     "(like 5 or 0.5), got '" + text + "'");
  }
  return std::chrono::milliseconds(static_cast<long long>(std::llround(s * 1000)));
}

unsigned parse_retries(const std::string& text) {
  bool digits = !text.empty() && text.size() <= 4 && text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stoul(text) > 1000)
    throw UsageError("--retries: expected a whole number from 0 to 1000, got '" + text + "'");
  return static_cast<unsigned>(std::stoul(text));
}

When parse_when(const std::string& option, const std::string& text) {
  if (text == "auto") return When::automatic;
  if (text == "always") return When::always;
  if (text == "never") return When::never;
  throw UsageError(option + ": expected auto, always or never, got '" + text + "'");
}

OnError parse_on_error(const std::string& text) {
  if (text == "continue") return OnError::keep_going;
  if (text == "finish") return OnError::finish;
  if (text == "halt") return OnError::halt;
  throw UsageError("--on-error: expected continue, finish or halt, got '" + text + "'");
}

OutputMode parse_output(const std::string& text) {
  if (text == "group") return OutputMode::group;
  if (text == "ordered") return OutputMode::ordered;
  if (text == "line") return OutputMode::line;
  throw UsageError("--output: expected group, ordered or line, got '" + text + "'");
}

// SPEC 2: a live view where stderr is a terminal that understands it;
// elsewhere heartbeat lines, asked for or in CI.
ProgressMode progress_mode(When when, CiPlatform ci) {
  bool terminal = isatty(STDERR_FILENO) == 1 && capable_terminal(std::getenv("TERM"));
  if (when == When::never) return ProgressMode::off;
  if (terminal) return ProgressMode::terminal;
  return when == When::always || ci != CiPlatform::none ? ProgressMode::heartbeat : ProgressMode::off;
}

cxxopts::Options make_options() {
  cxxopts::Options o("parstep", "Run build steps in parallel; print each step's output as one block.");
  o.custom_help("[OPTIONS] [--] COMMAND...   (no COMMAND: one step per line of stdin)");
  o.positional_help("");
  o.add_options()
    ("j,jobs", "run at most N steps at once; 0 = no limit (default: CPUs)", cxxopts::value<std::string>(), "N")
    ("f,file", "read steps from a JSON manifest ('-': stdin)", cxxopts::value<std::string>(), "MANIFEST")
    ("on-error", "after a failure: continue (default), finish (start nothing new) or halt (stop all now)",
     cxxopts::value<std::string>(), "MODE")
    ("x,halt-on-error", "same as --on-error halt")
    ("o,output", "group (default: blocks as steps end), ordered (blocks in given order), line (prefixed lines)",
     cxxopts::value<std::string>(), "MODE")
    ("output-on-failure", "print the output only of steps that did not succeed")
    ("no-header", "print only the steps' own bytes: no headers, nothing added")
    ("timeout", "stop a step running longer than SEC; it fails (timed_out)", cxxopts::value<std::string>(), "SEC")
    ("silent-timeout", "a step silent for SEC is hung: report its processes and stop it",
     cxxopts::value<std::string>(), "SEC")
    ("kill-after", "seconds between SIGTERM and SIGKILL when stopping a step",
     cxxopts::value<std::string>()->default_value("5"), "SEC")
    ("retries", "rerun a step that failed, timed out or hung up to N more times", cxxopts::value<std::string>(), "N")
    ("report", "write a JSON report of the run to PATH", cxxopts::value<std::string>(), "PATH")
    ("log-dir", "also write each step's output to DIR/NAME.log", cxxopts::value<std::string>(), "DIR")
    ("trace", "write a Chrome trace (Perfetto) of the run to PATH", cxxopts::value<std::string>(), "PATH")
    ("jobserver", "serve a GNU make jobserver of -j slots to the steps' whole process trees")
    ("jobserver-style", "how the served jobserver is announced: auto, fifo (make >= 4.4, ninja) or pipe (make <= 4.3)",
     cxxopts::value<std::string>()->default_value("auto"), "STYLE")
    ("junit", "write a JUnit XML report of the run to PATH", cxxopts::value<std::string>(), "PATH")
    ("ci", "fold blocks and annotate failures for a CI log: auto, github, gitlab or none",
     cxxopts::value<std::string>()->default_value("auto"), "PLATFORM")
    ("progress", "live status on a terminal, heartbeat lines elsewhere: auto, always or never",
     cxxopts::value<std::string>()->default_value("auto"), "WHEN")
    ("color", "colour parstep's output and ask steps for colour: auto, always or never",
     cxxopts::value<std::string>()->default_value("auto"), "WHEN")
    ("shell", "shell for shell steps", cxxopts::value<std::string>()->default_value("/bin/sh"), "PATH")
    ("n,dry-run", "print the steps that would run, run nothing")
    ("version", "print the version")
    ("h,help", "print this help")
    ("commands", "", cxxopts::value<std::vector<std::string>>());
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

unsigned available_cpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  int n = CPU_COUNT(&set);
  return n > 0 ? static_cast<unsigned>(n) : 1;
}

CommandLine parse_command_line(int argc, char** argv) {
  cxxopts::Options options = make_options();
  CommandLine cl;
  cl.help_text = options.help();
  cxxopts::ParseResult r;
  try {
    r = options.parse(argc, argv);
  } catch (const cxxopts::exceptions::exception& e) {
    throw UsageError(plain_message(e.what()) + " (see parstep --help)");
  }
  auto given = [&](const char* name) { return r.count(name) > 0; };
  auto text = [&](const char* name) { return r[name].as<std::string>(); };
  cl.help = given("help");
  cl.version = given("version");
  cl.dry_run = given("dry-run");
  Settings& s = cl.settings;
  if (given("jobs")) s.jobs = parse_jobs(text("jobs"));
  if (given("on-error")) s.on_error = parse_on_error(text("on-error"));
  if (given("halt-on-error")) s.on_error = OnError::halt;
  if (given("output")) s.output = parse_output(text("output"));
  if (given("timeout")) s.timeout = parse_seconds("--timeout", text("timeout"), false);
  if (given("silent-timeout")) s.silent_timeout = parse_seconds("--silent-timeout", text("silent-timeout"), false);
  if (given("retries")) s.retries = parse_retries(text("retries"));
  cl.run.output_on_failure = given("output-on-failure");
  cl.run.no_header = given("no-header");
  cl.run.kill_after = parse_seconds("--kill-after", text("kill-after"), true);
  cl.run.shell = text("shell");
  if (cl.run.shell.empty()) throw UsageError("--shell: expected a program, got ''");
  for (auto [option, path] : {std::pair{"report", &cl.run.report_path}, {"log-dir", &cl.run.log_dir},
                              {"trace", &cl.run.trace_path}, {"junit", &cl.run.junit_path},
                              {"file", &cl.manifest}}) {
    if (!given(option)) continue;
    *path = text(option);
    if (path->empty()) throw UsageError(std::string("--") + option + ": expected a path, got ''");
  }
  cl.jobserver = given("jobserver");
  cl.jobserver_style = text("jobserver-style");
  if (cl.jobserver_style != "auto" && cl.jobserver_style != "fifo" && cl.jobserver_style != "pipe")
    throw UsageError("--jobserver-style: expected auto, fifo or pipe, got '" + cl.jobserver_style + "'");
  cl.progress = parse_when("--progress", text("progress"));
  cl.color = parse_when("--color", text("color"));
  cl.ci = text("ci");
  if (cl.ci != "auto" && cl.ci != "github" && cl.ci != "gitlab" && cl.ci != "none")
    throw UsageError("--ci: expected auto, github, gitlab or none, got '" + cl.ci + "'");
  if (r.count("commands")) cl.commands = r["commands"].as<std::vector<std::string>>();
  for (std::size_t i = 0; i < cl.commands.size(); ++i) {
    if (cl.commands[i].find_first_not_of(" \t\n") == std::string::npos)
      throw UsageError("step " + std::to_string(i + 1) + " is an empty command");
  }
  if (!cl.manifest.empty() && !cl.commands.empty())
    throw UsageError("-f reads the steps from a manifest: give no COMMAND with it");
  return cl;
}

RunOptions resolve(const CommandLine& cl, const Settings& settings) {
  RunOptions run = cl.run;
  run.jobs = settings.jobs.value_or(available_cpus());
  run.on_error = settings.on_error.value_or(OnError::keep_going);
  run.output = settings.output.value_or(OutputMode::group);
  run.ci = cl.ci == "github"   ? CiPlatform::github
           : cl.ci == "gitlab" ? CiPlatform::gitlab
           : cl.ci == "none"   ? CiPlatform::none
                               : detect_ci(std::getenv("GITHUB_ACTIONS"), std::getenv("GITLAB_CI"));
  const char* step_summary = std::getenv("GITHUB_STEP_SUMMARY");
  if (run.ci == CiPlatform::github && step_summary != nullptr) run.step_summary_path = step_summary;
  run.progress = progress_mode(cl.progress, run.ci);
  run.colour = colour_on({cl.color, isatty(STDOUT_FILENO) == 1, std::getenv("TERM"), std::getenv("NO_COLOR"),
                          std::getenv("CLICOLOR_FORCE")});
  ColourEnvironment env = colour_environment(run.colour);
  run.env = env.set;
  run.env_unset = env.unset;
  return run;
}

}  // namespace parstep
