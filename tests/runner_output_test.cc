// The Runner's output modes (SPEC 2) × retries × --output-on-failure,
// against steps that are only scripts (tests/fake_processes.h).
#include "runner_harness.h"

namespace parstep::testing {
namespace {

using RunnerOutput = RunnerTest;

// a: "a1", 2s later "a2", ends ok at 3s. b: "b" at 1s, ends ok.
void two_steps(FakeProcesses& os) {
  os.step("a").prints("a1\n").after(2s).prints("a2\n").after(1s).exits(0);
  os.step("b").after(1s).prints("b\n").exits(0);
}

TEST_F(RunnerOutput, GroupPrintsEachBlockWholeWhenItsStepEnds) {
  two_steps(os);
  add("a"), add("b");
  FakeRun r = run();
  EXPECT_EQ(r.out, "==> b (ok, 1.00s)\nb\n==> a (ok, 3.00s)\na1\na2\n");
  EXPECT_EQ(r.outcome.exit_code, 0);
  EXPECT_EQ(r.err, "");
}

TEST_F(RunnerOutput, OrderedStreamsTheFirstStepAndPrintsTheRestInInputOrder) {
  two_steps(os);
  add("a"), add("b");
  opt.output = OutputMode::ordered;
  FakeRun r = run();
  EXPECT_EQ(r.out, "==> a\na1\na2\n==> b (ok, 1.00s)\nb\n");
}

TEST_F(RunnerOutput, LinePrefixesEachLineAsItComes) {
  two_steps(os);
  add("a"), add("b");
  opt.output = OutputMode::line;
  FakeRun r = run();
  EXPECT_EQ(r.out, "[a] a1\n[b] b\n[a] a2\n");
}

TEST_F(RunnerOutput, LineEndsAnUnterminatedLastLineAtTheStepsEnd) {
  os.step("a").prints("x\npart").after(1s).prints("ial").exits(0);
  add("a");
  opt.output = OutputMode::line;
  EXPECT_EQ(run().out, "[a] x\n[a] partial\n");
}

TEST_F(RunnerOutput, GroupEndsABlockWithoutNewlineWithOne) {
  os.step("a").prints("no newline").exits(0);
  add("a");
  EXPECT_EQ(run().out, "==> a (ok, 0.00s)\nno newline\n");
}

// --output-on-failure: a step that succeeded shows its header only.
TEST_F(RunnerOutput, OutputOnFailureGroupShowsOnlyFailedStepsOutput) {
  os.step("ok").prints("quiet\n").after(1s).exits(0);
  os.step("bad").prints("loud\n").after(2s).exits(1);
  add("ok"), add("bad");
  opt.output_on_failure = true;
  FakeRun r = run();
  EXPECT_EQ(r.out, "==> ok (ok, 1.00s)\n==> bad (FAILED: exit 1, 2.00s)\nloud\n");
  EXPECT_EQ(r.outcome.exit_code, 1);
}

TEST_F(RunnerOutput, OutputOnFailureOrderedHoldsTheFirstStepInsteadOfStreamingIt) {
  os.step("ok").prints("quiet\n").after(3s).exits(0);
  os.step("bad").prints("loud\n").after(1s).exits(1);
  add("ok"), add("bad");
  opt.output = OutputMode::ordered;
  opt.output_on_failure = true;
  EXPECT_EQ(run().out, "==> ok (ok, 3.00s)\n==> bad (FAILED: exit 1, 1.00s)\nloud\n");
}

TEST_F(RunnerOutput, OutputOnFailureLinePrintsAFailedStepsLinesWhenItEnds) {
  os.step("ok").prints("quiet\n").after(1s).exits(0);
  os.step("bad").prints("loud\n").after(2s).prints("last").exits(1);
  add("ok"), add("bad");
  opt.output = OutputMode::line;
  opt.output_on_failure = true;
  EXPECT_EQ(run().out, "[bad] loud\n[bad] last\n");
}

// --retries: only the last attempt's output is printed, in every mode.
class RunnerRetries : public RunnerTest, public ::testing::WithParamInterface<OutputMode> {};

TEST_P(RunnerRetries, PrintOnlyTheLastAttemptsOutput) {
  os.step("a", 1).prints("try1\n").after(1s).exits(1);
  os.step("a", 2).prints("try2\n").after(2s).exits(0);
  os.step("b").prints("b\n").after(4s).exits(0);
  add("a").retries = 1;
  add("b");
  opt.output = GetParam();
  FakeRun r = run();
  if (GetParam() == OutputMode::line) EXPECT_EQ(r.out, "[a] try2\n[b] b\n");
  else EXPECT_EQ(r.out, "==> a (ok, attempt 2 of 2, 3.00s)\ntry2\n==> b (ok, 4.00s)\nb\n");
  EXPECT_EQ(r.result(0).attempts, 2u);
  EXPECT_EQ(os.started, (std::vector<std::string>{"a", "b", "a"}));
}

TEST_P(RunnerRetries, ExhaustedPrintTheLastFailedAttempt) {
  os.step("a", 1).prints("try1\n").after(1s).exits(1);
  os.step("a", 2).prints("try2\n").after(1s).exits(2);
  add("a").retries = 1;
  opt.output = GetParam();
  FakeRun r = run();
  if (GetParam() == OutputMode::line) EXPECT_EQ(r.out, "[a] try2\n");
  else EXPECT_EQ(r.out, "==> a (FAILED: exit 2, attempt 2 of 2, 2.00s)\ntry2\n");
  EXPECT_EQ(r.result(0).status, StepStatus::failed);
}

TEST_P(RunnerRetries, WithOutputOnFailureHideASuccessfulRetry) {
  os.step("a", 1).prints("try1\n").after(1s).exits(1);
  os.step("a", 2).prints("try2\n").after(1s).exits(0);
  add("a").retries = 1;
  opt.output = GetParam();
  opt.output_on_failure = true;
  FakeRun r = run();
  EXPECT_EQ(r.out, GetParam() == OutputMode::line ? "" : "==> a (ok, attempt 2 of 2, 2.00s)\n");
}

INSTANTIATE_TEST_SUITE_P(Modes, RunnerRetries,
                         ::testing::Values(OutputMode::group, OutputMode::ordered, OutputMode::line),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace parstep::testing
