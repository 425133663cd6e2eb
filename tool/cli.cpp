// cxxopts splits vector values at its delimiter (',' by default), which
// would cut shell commands apart; no command line can contain a NUL.
#define CXXOPTS_VECTOR_DELIMITER '\0'
#include "cli.h"

#include <sched.h>

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

std::chrono::milliseconds parse_seconds(const std::string& option, const std::string& text) {
  char* end = nullptr;
  double s = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(s) || s < 0 || s > 1e7)
    throw UsageError(option + ": expected seconds (like 5 or 0.5), got '" + text + "'");
  return std::chrono::milliseconds(static_cast<long long>(std::llround(s * 1000)));
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

cxxopts::Options make_options() {
  cxxopts::Options o("parstep", "Run build steps in parallel; print each step's output as one block.");
  o.custom_help("[OPTIONS] [--] COMMAND...   (no COMMAND: one step per line of stdin)");
  o.positional_help("");
  o.add_options()
    ("j,jobs", "run at most N steps at once; 0 = no limit (default: CPUs)", cxxopts::value<std::string>(), "N")
    ("on-error", "after a failure: continue, finish (start nothing new) or halt (stop all now)",
     cxxopts::value<std::string>()->default_value("continue"), "MODE")
    ("x,halt-on-error", "same as --on-error halt")
    ("o,output", "group (blocks as steps end), ordered (blocks in given order), line (prefixed lines)",
     cxxopts::value<std::string>()->default_value("group"), "MODE")
    ("output-on-failure", "print the output only of steps that did not succeed")
    ("no-header", "print only the steps' own bytes: no headers, nothing added")
    ("kill-after", "seconds between SIGTERM and SIGKILL when stopping a step",
     cxxopts::value<std::string>()->default_value("5"), "SEC")
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
  cl.help = r.count("help") > 0;
  cl.version = r.count("version") > 0;
  cl.dry_run = r.count("dry-run") > 0;
  cl.run.jobs = r.count("jobs") ? parse_jobs(r["jobs"].as<std::string>()) : available_cpus();
  cl.run.on_error = parse_on_error(r["on-error"].as<std::string>());
  if (r.count("halt-on-error")) cl.run.on_error = OnError::halt;
  cl.run.output = parse_output(r["output"].as<std::string>());
  cl.run.output_on_failure = r.count("output-on-failure") > 0;
  cl.run.no_header = r.count("no-header") > 0;
  cl.run.kill_after = parse_seconds("--kill-after", r["kill-after"].as<std::string>());
  cl.run.shell = r["shell"].as<std::string>();
  if (cl.run.shell.empty()) throw UsageError("--shell: expected a program, got ''");
  if (r.count("commands")) cl.commands = r["commands"].as<std::vector<std::string>>();
  for (std::size_t i = 0; i < cl.commands.size(); ++i) {
    if (cl.commands[i].find_first_not_of(" \t\n") == std::string::npos)
      throw UsageError("step " + std::to_string(i + 1) + " is an empty command");
  }
  return cl;
}

}  // namespace parstep
