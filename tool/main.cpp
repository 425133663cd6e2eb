// parstep: runs build steps in parallel and prints each step's output as one
// unbroken block. This file only turns the command line (and a manifest)
// into a call to the library (src/run.h) and the outcome into an exit status.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "cli.h"
#include "colour.h"
#include "help.h"
#include "history.h"
#include "jobserver.h"
#include "jobserver_posix.h"
#include "manifest.h"
#include "naming.h"
#include "queue_reader.h"
#include "run.h"
#include "safe_path.h"
#include "signals.h"
#include "subprocess.h"

namespace {

using namespace parstep;

// Many steps at once need many descriptors (two per running step).
void raise_descriptor_limit() {
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

std::string read_all(const std::string& path) {
  int fd = path == "-" ? STDIN_FILENO : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw UsageError(path + ": cannot read: " + std::strerror(errno));
  std::string text;
  char buffer[65536];
  for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw UsageError(path + ": cannot read: " + std::strerror(errno));
    text.append(buffer, n);
  }
  if (fd != STDIN_FILENO) close(fd);
  return text;
}

std::vector<StepSpec> positional_steps(const std::vector<std::string>& commands, const Settings& settings) {
  StepNamer namer;
  std::vector<StepSpec> steps;
  for (const auto& command : commands) {
    StepSpec spec;
    spec.name = namer.add_default(command);
    spec.command = command;
    apply_step_settings(spec, settings);
    steps.push_back(std::move(spec));
  }
  return steps;
}

// Where parstep will write must be usable before anything runs.
void check_output_paths(const RunOptions& run) {
  for (const std::string* path : {&run.report_path, &run.trace_path, &run.junit_path, &run.log_dir}) {
    if (auto why = path->empty() ? std::nullopt : unsafe_output_path(*path)) throw UsageError(*why);
  }
  for (const std::string* path : {&run.report_path, &run.trace_path, &run.junit_path}) {
    if (path->empty()) continue;
    std::filesystem::path dir = std::filesystem::path(*path).parent_path();
    if (dir.empty()) dir = ".";
    if (!std::filesystem::is_directory(dir) || access(dir.c_str(), W_OK) != 0)
      throw UsageError(*path + ": cannot write there: " + dir.string() + " is not a writable directory");
  }
  if (run.log_dir.empty()) return;
  std::error_code error;
  std::filesystem::create_directories(run.log_dir, error);
  if (error || access(run.log_dir.c_str(), W_OK) != 0)
    throw UsageError("--log-dir: cannot use " + run.log_dir + ": " + (error ? error.message() : std::strerror(errno)));
  if (auto why = unsafe_log_dir(run.log_dir)) throw UsageError(*why);
}

// --jobserver: a pool of -j slots, announced in the style asked for.
void serve_jobserver(const CommandLine& cl, RunOptions& run) {
  if (run.jobs == 0) throw UsageError("--jobserver needs a number of slots: give -j N with N >= 1");
  if (run.jobs > Jobserver::max_slots())
    throw UsageError("--jobserver: at most " + std::to_string(Jobserver::max_slots()) +
                     " slots (the tokens one pipe can hold, /proc/sys/fs/pipe-max-size), got -j " + std::to_string(run.jobs));
  JobserverStyle style = cl.jobserver_style == "fifo"   ? JobserverStyle::fifo
                         : cl.jobserver_style == "pipe" ? JobserverStyle::pipe
                                                        : automatic_jobserver_style();
  try {
    run.jobserver = Jobserver::serve(run.jobs, style);
  } catch (const std::system_error& e) {
    throw UsageError(std::string("--jobserver: ") + e.what());
  }
}

// SPEC 6: join the jobserver MAKEFLAGS names (also under --jobserver
// without -j: a nested parstep shares its parent's pool), or serve a pool
// (--jobserver), or, when the inherited one is unusable, limit with -j
// (given, or MAKEFLAGS' -jN, or the CPU count) and pass the dead one on to
// no step. The note about it is left out when the CMake module said a
// missing jobserver is expected (PARSTEP_JOBSERVER_MISSING_OK).
void attach_jobserver(const CommandLine& cl, const Settings& settings, RunOptions& run) {
  const char* makeflags = getenv("MAKEFLAGS");
  JobserverAuth auth = parse_makeflags(makeflags ? makeflags : "");
  if (cl.jobserver && (settings.jobs || auth.kind == JobserverAuth::Kind::none)) return serve_jobserver(cl, run);
  if (auth.kind == JobserverAuth::Kind::none) return;
  std::string problem;
  run.jobserver = Jobserver::join(auth, problem);
  if (run.jobserver) {
    if (!settings.jobs) run.jobs = 0;  // the jobserver alone limits
    return;
  }
  if (!settings.jobs && auth.jobs && *auth.jobs > 0) run.jobs = *auth.jobs;
  if (cl.jobserver) return serve_jobserver(cl, run);  // its MAKEFLAGS drops the dead one
  run.env.emplace_back("MAKEFLAGS", makeflags_without_jobserver(makeflags));
  const char* expected = getenv("PARSTEP_JOBSERVER_MISSING_OK");
  if (expected && std::string_view(expected) == "1") return;
  std::string warning = "parstep: warning: the jobserver in MAKEFLAGS is unusable: " + problem + "; running at most " +
                        (run.jobs == 0 ? "unlimited" : std::to_string(run.jobs)) + " steps at once\n";
  std::fputs(paint(warning, Paint::yellow, run.colour).c_str(), stderr);
}

// A file parstep writes at the end must have a directory to go in now.
void check_writable_directory(const std::string& option, const std::string& path) {
  if (auto why = unsafe_output_path(path)) throw UsageError(*why);
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (!std::filesystem::is_directory(dir) || access(dir.c_str(), W_OK) != 0)
    throw UsageError(option + ": cannot use " + path + ": " + dir.string() + " is not a writable directory");
}

/// Everything needed to run, decided before anything runs.
struct Plan {
  RunOptions options;
  std::vector<StepSpec> steps;
  bool queue = false;  ///< more steps come from stdin
};

// SPEC 8: the history is read before anything runs (a corrupt one is a
// warning); --rerun-failed keeps only the steps it says did not succeed.
void attach_history(const CommandLine& cl, const std::string& manifest_history, Plan& plan) {
  std::string path = cl.history.empty() ? manifest_history : cl.history;
  if (path.empty()) {
    if (cl.rerun_failed) throw UsageError("--rerun-failed needs a history: give --history PATH");
    return;
  }
  check_writable_directory("--history", path);
  if (cl.rerun_failed && plan.queue)
    throw UsageError("--rerun-failed needs the steps up front: give COMMANDs or -f, not stdin");
  std::string warning;
  auto history = std::make_shared<History>(load_history(path, warning));
  if (!warning.empty())
    std::fprintf(stderr, "parstep: warning: history %s: %s; starting from an empty history\n", path.c_str(),
                 warning.c_str());
  plan.options.history_path = path;
  plan.options.schedule_longest = cl.schedule_longest.value_or(true);
  if (cl.rerun_failed)
    std::erase_if(plan.steps, [&](const StepSpec& step) { return !history->last_not_ok(step.name); });
  plan.options.history = std::move(history);
}

Plan make_plan(const CommandLine& cl) {
  Plan plan;
  Settings settings = cl.settings;
  std::string manifest_history;
  if (!cl.manifest.empty()) {
    std::string name = cl.manifest == "-" ? "<stdin>" : cl.manifest;
    try {
      Manifest m = parse_manifest(read_all(cl.manifest), name);
      plan.steps = m.resolve(cl.settings);
      settings = overlay(cl.settings, m.settings);
      manifest_history = m.history;
    } catch (const ManifestError& e) {
      throw UsageError(e.what());
    }
  } else {
    plan.steps = positional_steps(cl.commands, settings);
    plan.queue = cl.commands.empty();
  }
  plan.options = resolve(cl, settings);
  attach_history(cl, manifest_history, plan);
  if (!cl.dry_run) {
    check_output_paths(plan.options);
    attach_jobserver(cl, settings, plan.options);
  }
  return plan;
}

void print_dry_run(std::vector<StepSpec> steps, QueueReader* queue, const std::string& shell) {
  while (queue != nullptr && !queue->at_end())
    for (auto& spec : queue->read()) steps.push_back(std::move(spec));
  for (const auto& step : steps)
    std::printf("==> %s\n    %s\n", step.name.c_str(), step.display_command_line(shell).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  // A closed stdin, stdout or stderr reads and writes as /dev/null: nothing
  // parstep opens may take its place (README: "Closed standard descriptors").
  open_missing_standard_descriptors();
  close_inherited_descriptors_on_exec();  // first: the jobserver set-up re-opens its own
  CommandLine cl;
  Plan plan;
  try {
    cl = parse_command_line(argc, argv, getenv("PARSTEP_OPTIONS"));
    // Run from a '+' recipe under make -n: show, do not run (SPEC 6).
    if (const char* makeflags = getenv("MAKEFLAGS"); makeflags && makeflags_dry_run(makeflags)) cl.dry_run = true;
    if (cl.help || cl.version) {
      std::fputs((cl.help ? help_text(available_cpus()) : version_text()).c_str(), stdout);
      return std::fflush(stdout) == 0 ? 0 : 1;
    }
    plan = make_plan(cl);
    if (cl.rerun_failed && plan.steps.empty()) {
      std::fprintf(stderr, "parstep: no step failed in the last recorded run: nothing to rerun\n");
      return 0;
    }
  } catch (const UsageError& e) {
    std::fprintf(stderr, "parstep: error: %s\n", e.what());
    return 2;
  }
  raise_descriptor_limit();
  StepSpec prototype;
  apply_step_settings(prototype, cl.settings);
  QueueReader stdin_queue(STDIN_FILENO, prototype, cl.queue_json ? QueueFormat::json : QueueFormat::lines,
                          cl.settings);
  QueueReader* queue = plan.queue ? &stdin_queue : nullptr;
  if (queue != nullptr && isatty(STDIN_FILENO) == 1)
    std::fputs("parstep: reading steps from the terminal, one per line; end the input with Ctrl-D\n", stderr);
  try {
    if (cl.dry_run) {
      print_dry_run(std::move(plan.steps), queue, plan.options.shell);
      return std::fflush(stdout) == 0 ? 0 : 1;
    }
    RunOutcome outcome = run(std::move(plan.steps), queue, plan.options, STDOUT_FILENO, STDERR_FILENO);
    if (outcome.signal != 0) {
      plan.options.jobserver.reset();  // removes a served fifo: the signal ends parstep without unwinding
      reraise(outcome.signal);
    }
    return outcome.exit_code;
  } catch (const std::system_error& e) {
    std::fprintf(stderr, "parstep: error: %s\n", e.what());
    return 1;
  }
}
