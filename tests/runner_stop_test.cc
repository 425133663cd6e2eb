// --on-error (SPEC 1) in every output mode: what runs, what is stopped and
// what of a stopped step reaches stdout (SPEC 2 v2: dropped means dropped).
#include <signal.h>

#include "runner_harness.h"

namespace parstep::testing {
namespace {

using RunnerOnError = RunnerTest;

TEST_F(RunnerOnError, KeepGoingRunsEveryStepAfterAFailure) {
  os.step("a").after(1s).exits(1);
  os.step("b").after(1s).exits(0);
  add("a"), add("b");
  opt.jobs = 1;
  FakeRun r = run();
  EXPECT_EQ(os.started, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.result(1).status, StepStatus::ok);
  EXPECT_EQ(r.outcome.exit_code, 1);
}

TEST_F(RunnerOnError, FinishStartsNothingMoreButLetsRunningStepsEnd) {
  os.step("a").after(1s).exits(1);
  os.step("b").prints("b\n").after(2s).exits(0);
  os.step("c").exits(0);
  add("a"), add("b"), add("c");
  opt.on_error = OnError::finish;
  FakeRun r = run();
  EXPECT_EQ(os.started, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.out, "==> a (FAILED: exit 1, 1.00s)\n==> b (ok, 2.00s)\nb\n");
  EXPECT_EQ(r.result(2).status, StepStatus::not_started);
  EXPECT_TRUE(os.signalled.empty());
}

// The halt matrix: "fails" fails at 2s while "runs" (ignoring SIGTERM, so
// that it goes on printing until SIGKILL) and "waits" have not ended.
class RunnerHalt : public RunnerTest, public ::testing::WithParamInterface<OutputMode> {
 protected:
  void SetUp() override {
    opt.on_error = OnError::halt;
    opt.output = GetParam();
    opt.kill_after = std::chrono::milliseconds(5000);
  }
  FakeRun halt_run(const std::string& first) {
    os.step("runs").prints("before\n").after(3s).prints("after SIGTERM\n").after(10s).exits(0).ignores_sigterm();
    os.step("fails").prints("why\n").after(2s).exits(1);
    os.step("waits").exits(0);
    if (first == "runs") add("runs"), add("fails");
    else add("fails"), add("runs");
    add("waits");
    return run();
  }
};

TEST_P(RunnerHalt, PrintsNothingOfAStoppedStepThatIsNotLive) {
  FakeRun r = halt_run("fails");
  if (GetParam() == OutputMode::line) EXPECT_EQ(r.out, "[fails] why\n[runs] before\n");
  else if (GetParam() == OutputMode::ordered) EXPECT_EQ(r.out, "==> fails\nwhy\n");  // live, then closed
  else EXPECT_EQ(r.out, "==> fails (FAILED: exit 1, 2.00s)\nwhy\n");
  EXPECT_EQ(r.result(1).status, StepStatus::stopped);
  EXPECT_EQ(r.result(2).status, StepStatus::not_started);
  EXPECT_EQ(os.signalled, (std::vector<std::string>{"runs SIGTERM", "runs SIGCONT", "runs SIGKILL"}));
  EXPECT_EQ(r.result(1).duration, 7s);  // SIGKILL at 2s + --kill-after
}

TEST_P(RunnerHalt, KeepsWhatALiveBlockPrintedAndPrintsNothingMore) {
  FakeRun r = halt_run("runs");
  if (GetParam() == OutputMode::ordered)
    EXPECT_EQ(r.out, "==> runs\nbefore\n==> fails (FAILED: exit 1, 2.00s)\nwhy\n");
  else if (GetParam() == OutputMode::line)
    EXPECT_EQ(r.out, "[runs] before\n[fails] why\n");
  else
    EXPECT_EQ(r.out, "==> fails (FAILED: exit 1, 2.00s)\nwhy\n");
  EXPECT_EQ(r.result(0).status, StepStatus::stopped);
}

TEST_P(RunnerHalt, StartsNoRetryOfAStoppedStep) {
  os.step("runs").prints("x\n").after(3s).exits(1);
  os.step("fails").after(1s).exits(1);
  add("runs").retries = 2;
  add("fails");
  FakeRun r = run();
  EXPECT_EQ(os.started, (std::vector<std::string>{"runs", "fails"}));
  EXPECT_EQ(r.result(0).status, StepStatus::stopped);
  EXPECT_EQ(r.result(0).attempts, 1u);
  EXPECT_EQ(r.out, GetParam() == OutputMode::line ? "" : "==> fails (FAILED: exit 1, 1.00s)\n");
}

TEST_P(RunnerHalt, WithRetriesHaltsOnlyOnceTheFailingStepHasNoAttemptLeft) {
  os.step("flaky", 1).prints("try1\n").after(1s).exits(1);
  os.step("flaky", 2).prints("try2\n").after(1s).exits(1);
  os.step("runs").prints("r\n").after(1s).prints("r2\n").after(9s).exits(0);
  add("runs");
  add("flaky").retries = 1;
  FakeRun r = run();
  EXPECT_EQ(os.started, (std::vector<std::string>{"runs", "flaky", "flaky"}));
  EXPECT_EQ(r.result(0).status, StepStatus::stopped);
  std::string flaky = GetParam() == OutputMode::line ? "[flaky] try2\n"
                                                     : "==> flaky (FAILED: exit 1, attempt 2 of 2, 2.00s)\ntry2\n";
  // --retries holds lines and live blocks: nothing of the stopped step shows.
  EXPECT_EQ(r.out, flaky);
}

INSTANTIATE_TEST_SUITE_P(Modes, RunnerHalt,
                         ::testing::Values(OutputMode::group, OutputMode::ordered, OutputMode::line),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace parstep::testing
