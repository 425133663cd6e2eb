// parstep: runs build steps in parallel and prints each step's output as one
// unbroken block. This file only turns the command line into a call to the
// library (src/run.h) and the outcome into an exit status.
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <system_error>

#include "cli.h"
#include "naming.h"
#include "queue_reader.h"
#include "run.h"
#include "signals.h"
#include "subprocess.h"

#ifndef PARSTEP_VERSION
#define PARSTEP_VERSION "unknown"
#endif

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

std::vector<StepSpec> positional_steps(const std::vector<std::string>& commands) {
  StepNamer namer;
  std::vector<StepSpec> steps;
  for (const auto& command : commands) {
    StepSpec spec;
    spec.name = namer.add_default(command);
    spec.command = command;
    steps.push_back(std::move(spec));
  }
  return steps;
}

void print_dry_run(std::vector<StepSpec> steps, QueueReader* queue) {
  while (queue != nullptr && !queue->at_end())
    for (auto& spec : queue->read()) steps.push_back(std::move(spec));
  for (const auto& step : steps)
    std::printf("==> %s\n    %s\n", step.name.c_str(), step.display_command().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine cl;
  try {
    cl = parse_command_line(argc, argv);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "parstep: error: %s\n", e.what());
    return 2;
  }
  if (cl.help) {
    std::fputs(cl.help_text.c_str(), stdout);
    return 0;
  }
  if (cl.version) {
    std::printf("parstep %s\n", PARSTEP_VERSION);
    return 0;
  }
  close_inherited_descriptors_on_exec();
  raise_descriptor_limit();
  std::vector<StepSpec> steps = positional_steps(cl.commands);
  QueueReader stdin_queue(STDIN_FILENO);
  QueueReader* queue = cl.commands.empty() ? &stdin_queue : nullptr;
  try {
    if (cl.dry_run) {
      print_dry_run(std::move(steps), queue);
      return std::fflush(stdout) == 0 ? 0 : 1;
    }
    RunOutcome outcome = run(std::move(steps), queue, cl.run, STDOUT_FILENO, STDERR_FILENO);
    if (outcome.signal != 0) reraise(outcome.signal);
    return outcome.exit_code;
  } catch (const std::system_error& e) {
    std::fprintf(stderr, "parstep: error: %s\n", e.what());
    return 1;
  }
}
