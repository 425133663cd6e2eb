// Signals parstep receives (SPEC 1: an interrupt stops every step; SPEC 4
// v2: Ctrl-Z stops the steps with parstep and the stopped time does not
// count), and --pty's capture (SPEC 2), with the fake's clock.
#include <signal.h>

#include "runner_harness.h"

namespace parstep::testing {
namespace {

class RunnerInterrupt : public RunnerTest, public ::testing::WithParamInterface<OutputMode> {};

TEST_P(RunnerInterrupt, StopsEveryStepPrintsNothingMoreOfThemAndEndsWithTheSignal) {
  os.step("done").prints("d\n").after(1s).exits(0);
  os.step("runs").prints("r1\n").after(3s).prints("r2\n").after(5s).exits(0);
  os.step("later").prints("l1\n").after(3s).exits(0);
  os.step("waits").exits(0);
  add("done"), add("runs"), add("later"), add("waits");
  opt.output = GetParam();
  os.signal_at(2s, SIGINT);
  FakeRun r = run();
  EXPECT_EQ(r.outcome.signal, SIGINT);
  EXPECT_EQ(r.result(0).status, StepStatus::ok);
  EXPECT_EQ(r.result(1).status, StepStatus::stopped);
  EXPECT_EQ(r.result(2).status, StepStatus::stopped);
  EXPECT_EQ(r.result(3).status, StepStatus::not_started);
  EXPECT_EQ(os.started, (std::vector<std::string>{"done", "runs", "later"}));
  if (GetParam() == OutputMode::line) EXPECT_EQ(r.out, "[done] d\n[runs] r1\n[later] l1\n");
  else if (GetParam() == OutputMode::ordered) EXPECT_EQ(r.out, "==> done\nd\n==> runs\nr1\n");  // live from 1s
  else EXPECT_EQ(r.out, "==> done (ok, 1.00s)\nd\n");
}

TEST_P(RunnerInterrupt, ASecondOneKillsAtOnce) {
  os.step("stubborn").after(60s).exits(0).ignores_sigterm();
  add("stubborn");
  opt.output = GetParam();
  os.signal_at(1s, SIGTERM);
  os.signal_at(2s, SIGINT);
  FakeRun r = run();
  EXPECT_EQ(r.outcome.signal, SIGTERM);
  EXPECT_EQ(r.result(0).duration, 2s);  // not 1s + --kill-after
  EXPECT_EQ(os.signalled.back(), "stubborn SIGKILL");
}

INSTANTIATE_TEST_SUITE_P(Modes, RunnerInterrupt,
                         ::testing::Values(OutputMode::group, OutputMode::ordered, OutputMode::line),
                         [](const auto& info) { return std::string(to_string(info.param)); });

using RunnerJobControl = RunnerTest;

TEST_F(RunnerJobControl, CtrlZStopsTheStepsAndTheStoppedTimeCountsTowardsNoLimit) {
  os.step("a").prints("x\n").after(8s).exits(0);
  add("a").timeout = 10s;
  os.signal_at(5s, SIGTSTP);
  os.stopped_for = 30s;
  FakeRun r = run();
  EXPECT_EQ(r.result(0).status, StepStatus::ok);
  // To its group and, as one of parstep's descendants, to the process.
  EXPECT_EQ(os.signalled, (std::vector<std::string>{"a SIGSTOP", "a SIGSTOP", "a SIGCONT", "a SIGCONT"}));
  EXPECT_EQ(r.result(0).duration, 38s);  // wall time, stop included
}

TEST_F(RunnerJobControl, ASilentTimeoutDoesNotCountTheStop) {
  os.step("a").prints("x\n").after(2s).prints("y\n").after(2s).exits(0);
  add("a").silent_timeout = 3s;
  os.signal_at(1s, SIGTSTP);
  os.stopped_for = 60s;
  EXPECT_EQ(run().result(0).status, StepStatus::ok);
}

using RunnerPty = RunnerTest;

TEST_F(RunnerPty, WithColourOffAStepsSgrSequencesAreTakenOut) {
  os.step("a").prints("\x1b[31mred\x1b[0m\n").exits(0);
  add("a");
  opt.pty = true;
  opt.output = OutputMode::line;
  FakeRun r = run();
  EXPECT_EQ(r.out, "[a] red\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(RunnerPty, WithColourOnTheyStay) {
  os.step("a").prints("\x1b[31mred\x1b[0m\n").exits(0);
  add("a");
  opt.pty = true;
  opt.colour = true;
  opt.output = OutputMode::line;
  EXPECT_EQ(run().out, "[a] \x1b[31mred\x1b[0m\n");
}

TEST_F(RunnerPty, WithoutAPtyToBeHadAPipeCarriesTheBytesAsWritten) {
  os.step("a").prints("\x1b[31mred\x1b[0m\n").exits(0);
  add("a");
  opt.pty = true;
  os.ptys = false;
  opt.output = OutputMode::line;
  FakeRun r = run();
  EXPECT_EQ(r.out, "[a] \x1b[31mred\x1b[0m\n");
  EXPECT_EQ(r.err, "fake: no pty\n");
}

}  // namespace
}  // namespace parstep::testing
