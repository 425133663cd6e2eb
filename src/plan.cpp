#include "plan.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>

#include "fd.h"
#include "history.h"
#include "jobserver.h"
#include "jobserver_policy.h"
#include "manifest.h"
#include "messages.h"
#include "naming.h"
#include "output_paths.h"
#include "usage_error.h"

namespace parstep {
namespace {

// A manifest's bytes: of the file at `path`, or of stdin for "-".
std::string read_manifest_text(const std::string& path) {
  Fd file(path == "-" ? -1 : open(path.c_str(), O_RDONLY | O_CLOEXEC));
  int fd = path == "-" ? STDIN_FILENO : file.get();
  if (fd < 0) throw UsageError(path + ": cannot read: " + std::strerror(errno));
  try {
    return read_to_end(fd);
  } catch (const std::system_error& e) {
    throw UsageError(path + ": cannot read: " + std::strerror(e.code().value()));
  }
}

// -f PATH ("-": stdin), parsed and validated.
Manifest read_manifest(const std::string& path) {
  try {
    return parse_manifest(read_manifest_text(path), path == "-" ? "<stdin>" : path);
  } catch (const ManifestError& e) {
    throw UsageError(e.what());
  }
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

// SPEC 2: a live view where stderr is a terminal that understands it;
// elsewhere heartbeat lines, asked for or in CI.
ProgressMode progress_mode(When when, CiPlatform ci, const Surroundings& env) {
  bool terminal = env.stderr_terminal && capable_terminal(env.term);
  if (when == When::never) return ProgressMode::off;
  if (terminal) return ProgressMode::terminal;
  return when == When::always || ci != CiPlatform::none ? ProgressMode::heartbeat : ProgressMode::off;
}

// SPEC 8: the history is read before anything runs (a corrupt one is a
// warning); --rerun-failed keeps only the steps it says did not succeed.
void attach_history(const CommandLine& cl, const std::string& manifest_history, Plan& plan, const WarningSink& warn) {
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
  if (!warning.empty()) warn(warning_line("history " + path + ": " + warning + "; starting from an empty history", false));
  plan.options.history_path = path;
  plan.options.schedule_longest = cl.schedule_longest.value_or(true);
  if (cl.rerun_failed)
    std::erase_if(plan.steps, [&](const StepSpec& step) { return !history->last_not_ok(step.name); });
  plan.options.history = std::move(history);
}

}  // namespace

RunOptions resolve(const CommandLine& cl, const Settings& settings, const Surroundings& env) {
  RunOptions run = cl.run;
  run.jobs = settings.jobs.value_or(env.cpus);
  run.on_error = settings.on_error.value_or(OnError::keep_going);
  run.output = settings.output.value_or(OutputMode::group);
  run.ci = cl.ci ? *cl.ci : detect_ci(env.github_actions, env.gitlab_ci);
  if (run.ci == CiPlatform::github && env.github_step_summary != nullptr)
    run.step_summary_path = env.github_step_summary;
  run.progress = progress_mode(cl.progress, run.ci, env);
  run.colour = colour_on({cl.color, env.stdout_terminal, env.term, env.no_color, env.clicolor_force});
  ColourEnvironment colours = colour_environment(run.colour);
  run.env = colours.set;
  run.env_unset = colours.unset;
  return run;
}

Plan make_plan(const CommandLine& cl, const Surroundings& env, const WarningSink& warn) {
  Plan plan;
  Settings settings = cl.settings;
  std::string manifest_history;
  bool manifest_pty = false;
  if (!cl.manifest.empty()) {
    Manifest m = read_manifest(cl.manifest);
    plan.steps = m.resolve(cl.settings);
    settings = overlay(cl.settings, m.settings);
    manifest_history = m.history;
    manifest_pty = m.pty;
  } else {
    plan.steps = positional_steps(cl.commands, settings);
    plan.queue = cl.commands.empty();
  }
  plan.options = resolve(cl, settings, env);
  plan.options.pty = plan.options.pty || manifest_pty;
  plan.dry_run = cl.dry_run || (env.makeflags && makeflags_dry_run(env.makeflags));
  attach_history(cl, manifest_history, plan, warn);
  if (plan.dry_run) return plan;
  check_output_paths(plan.options);
  attach_jobserver({cl.jobserver, cl.jobserver_style, settings.jobs.has_value()}, env, plan.options, warn);
  return plan;
}

}  // namespace parstep
