#pragma once
// Runs the real Runner against FakeProcesses and keeps what it printed.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fake_processes.h"
#include "run.h"

namespace parstep::testing {

struct FakeRun {
  RunOutcome outcome;
  std::string out;  ///< everything on stdout
  std::string err;  ///< everything on stderr
  const StepResult& result(std::size_t i) const { return outcome.results.at(i); }
};

class RunnerTest : public ::testing::Test {
 protected:
  RunnerTest();
  /// A shell step (the fake runs no shell: its script is `os.step(name)`).
  StepSpec& add(const std::string& name);
  FakeRun run();

  FakeProcesses os;
  RunOptions opt;
  std::vector<StepSpec> steps;
};

}  // namespace parstep::testing
