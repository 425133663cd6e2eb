// parstep: runs build steps in parallel and prints each step's output as one
// unbroken block. This file only turns the command line into a plan
// (src/plan.h), the plan into a call to the library (src/run.h) and the
// outcome into an exit status.
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <system_error>

#include "cli.h"
#include "help.h"
#include "manifest.h"
#include "messages.h"
#include "plan.h"
#include "queue_reader.h"
#include "run.h"
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

void to_stderr(const std::string& line) { std::fputs(line.c_str(), stderr); }

int flush_stdout() { return std::fflush(stdout) == 0 ? 0 : 1; }

void print_dry_run(std::vector<StepSpec> steps, QueueReader* queue, const std::string& shell) {
  while (queue != nullptr && !queue->at_end())
    for (auto& spec : queue->read()) steps.push_back(std::move(spec));
  for (const auto& step : steps)
    std::printf("==> %s\n    %s\n", step.name.c_str(), step.display_command_line(shell).c_str());
}

// Runs the plan (or shows it); stdin's further steps in queue mode.
int carry_out(const CommandLine& cl, Plan& plan) {
  StepSpec prototype;
  apply_step_settings(prototype, cl.settings);
  QueueReader stdin_queue(STDIN_FILENO, prototype, cl.queue_format, cl.settings);
  QueueReader* queue = plan.queue ? &stdin_queue : nullptr;
  if (queue != nullptr && isatty(STDIN_FILENO) == 1)
    to_stderr(message_line("reading steps from the terminal, one per line; end the input with Ctrl-D"));
  if (plan.dry_run) {
    print_dry_run(std::move(plan.steps), queue, plan.options.shell);
    return flush_stdout();
  }
  RunOutcome outcome = run(std::move(plan.steps), queue, plan.options, STDOUT_FILENO, STDERR_FILENO);
  if (outcome.signal != 0) {
    plan.options.jobserver.reset();  // removes a served fifo: the signal ends parstep without unwinding
    reraise(outcome.signal);
  }
  return outcome.exit_code;
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
    cl = parse_command_line(argc, argv, std::getenv("PARSTEP_OPTIONS"));
    if (cl.help || cl.version) {
      std::fputs((cl.help ? help_text(available_cpus()) : version_text()).c_str(), stdout);
      return flush_stdout();
    }
    plan = make_plan(cl, Surroundings::of_this_process(), to_stderr);
    if (cl.rerun_failed && plan.steps.empty()) {
      to_stderr(message_line("no step failed in the last recorded run: nothing to rerun"));
      return 0;
    }
  } catch (const UsageError& e) {
    to_stderr(error_line(e.what()));
    return 2;
  }
  raise_descriptor_limit();
  try {
    return carry_out(cl, plan);
  } catch (const std::system_error& e) {
    to_stderr(error_line(e.what()));
    return 1;
  }
}
