// Time limits with the fake clock (SPEC 1: --timeout, --silent-timeout,
// --kill-after) and the limits of the machine: jobserver slots, process
// and descriptor shortage (SPEC 4 v2, SPEC 6 v2).
#include <sys/ioctl.h>

#include <cerrno>

#include "jobserver_posix.h"
#include "runner_harness.h"

namespace parstep::testing {
namespace {

using RunnerLimits = RunnerTest;

TEST_F(RunnerLimits, TimeoutStopsTheStepAtItsLimitAndFailsIt) {
  os.step("slow").prints("x\n").after(60s).exits(0);
  add("slow").timeout = 10s;
  FakeRun r = run();
  EXPECT_EQ(r.result(0).status, StepStatus::timed_out);
  EXPECT_EQ(r.result(0).duration, 10s);
  EXPECT_EQ(r.out, "==> slow (FAILED: timed out after 10s, 10.00s)\nx\n");
  EXPECT_EQ(os.signalled, (std::vector<std::string>{"slow SIGTERM"}));  // it died of it
}

TEST_F(RunnerLimits, AStepIgnoringSigtermIsKilledAfterKillAfter) {
  os.step("stubborn").after(60s).exits(0).ignores_sigterm();
  add("stubborn").timeout = 10s;
  opt.kill_after = std::chrono::milliseconds(3000);
  FakeRun r = run();
  EXPECT_EQ(r.result(0).status, StepStatus::timed_out);
  EXPECT_EQ(r.result(0).duration, 13s);
  EXPECT_EQ(os.signalled.back(), "stubborn SIGKILL");
}

// SPEC 4: what a finished step leaves in its process group gets SIGTERM,
// then SIGKILL after --kill-after; the watchdog forgets the group after that.
TEST_F(RunnerLimits, AFinishedStepsStragglerIgnoringSigtermIsKilledAfterKillAfter) {
  os.step("daemonish").exits(0).leaves_straggler(true);
  os.step("long").after(10s).exits(0);
  add("daemonish");
  add("long");
  opt.kill_after = std::chrono::milliseconds(3000);
  FakeRun r = run();
  EXPECT_EQ(r.result(0).status, StepStatus::ok);
  EXPECT_EQ(os.signalled, (std::vector<std::string>{"daemonish SIGTERM", "daemonish SIGKILL"}));
  EXPECT_TRUE(os.guarded.empty());
}

TEST_F(RunnerLimits, AStragglerThatObeysSigtermGetsNoSigkill) {
  os.step("daemonish").exits(0).leaves_straggler(false);
  os.step("long").after(10s).exits(0);
  add("daemonish");
  add("long");
  FakeRun r = run();
  EXPECT_EQ(os.signalled, (std::vector<std::string>{"daemonish SIGTERM"}));
  EXPECT_TRUE(os.guarded.empty());
}

TEST_F(RunnerLimits, ATimedOutStepIsRetried) {
  os.step("slow", 1).after(60s).exits(0);
  os.step("slow", 2).prints("quick\n").after(1s).exits(0);
  StepSpec& s = add("slow");
  s.timeout = 10s;
  s.retries = 1;
  FakeRun r = run();
  EXPECT_EQ(r.result(0).status, StepStatus::ok);
  EXPECT_EQ(r.out, "==> slow (ok, attempt 2 of 2, 11.00s)\nquick\n");
}

TEST_F(RunnerLimits, SilentTimeoutCountsFromTheLastOutput) {
  os.step("quiet").prints("1\n").after(2s).prints("2\n").after(2s).prints("3\n").after(60s).exits(0);
  add("quiet").silent_timeout = 3s;
  FakeRun r = run();
  EXPECT_EQ(r.result(0).status, StepStatus::hung);
  EXPECT_EQ(r.result(0).duration, 7s);  // last output at 4s
  EXPECT_EQ(r.out, "==> quiet (FAILED: hung: no output for 3s, 7.00s)\n1\n2\n3\n");
  EXPECT_NE(r.err.find("hang report: quiet\n"), std::string::npos) << r.err;
}

TEST_F(RunnerLimits, OutputKeepsASilentTimeoutFromFiring) {
  Script& s = os.step("chatty");
  for (int i = 0; i < 10; ++i) s.prints(".").after(2s);
  s.exits(0);
  add("chatty").silent_timeout = 3s;
  FakeRun r = run();
  EXPECT_EQ(r.result(0).status, StepStatus::ok);
  EXPECT_EQ(r.result(0).duration, 20s);
}

// SPEC 6 v2: the first running step uses parstep's implicit slot, so it
// holds one token fewer than the steps it runs; spare tokens go back at once.
TEST_F(RunnerLimits, JobserverTokensHeldAreOneFewerThanStepsRunning) {
  opt.jobserver = Jobserver::serve(3, JobserverStyle::fifo, "");
  auto tokens_in_pool = [pool = opt.jobserver] {
    int n = -1;
    ioctl(pool->poll_fd(), FIONREAD, &n);
    return n;
  };
  std::vector<std::pair<std::size_t, int>> seen;  // steps running, tokens left in the pool
  os.on_start = [&](const std::string&, std::size_t running) { seen.emplace_back(running, tokens_in_pool()); };
  for (const char* name : {"a", "b", "c", "d", "e"}) {
    os.step(name).after(std::chrono::seconds(name[0] - 'a' + 1)).exits(0);
    add(name);
  }
  opt.jobs = 0;  // no limit of its own: the pool's 3 slots limit it
  FakeRun r = run();
  EXPECT_EQ(r.outcome.exit_code, 0);
  EXPECT_EQ(os.most_running, 3u);
  for (auto [running, left] : seen) EXPECT_EQ(left, 3 - static_cast<int>(running)) << running;
  EXPECT_EQ(tokens_in_pool(), 2) << "every token is back at the end";
}

class RunnerShortage : public RunnerTest, public ::testing::WithParamInterface<int> {};

// SPEC 4 v2: out of descriptors or processes, a step waits for a running
// one to end, then starts; it does not fail.
TEST_P(RunnerShortage, AStartThatFailsForWantOfResourcesWaitsForAnEnd) {
  os.step("long").after(5s).exits(0);
  os.step("b", 1).cannot_start(GetParam());
  os.step("b", 2).exits(0);
  add("long"), add("b");
  std::vector<std::pair<std::string, Clock::duration>> starts;
  os.on_start = [&](const std::string& name, std::size_t) { starts.emplace_back(name, os.now() - os.started_at()); };
  FakeRun r = run();
  EXPECT_EQ(r.result(1).status, StepStatus::ok);
  EXPECT_EQ(r.result(1).attempts, 1u);
  ASSERT_EQ(starts.size(), 2u);
  EXPECT_EQ(starts[1], (std::pair<std::string, Clock::duration>{"b", 5s}));
}

TEST_P(RunnerShortage, WithNothingElseRunningFailsTheStart) {
  os.step("b").cannot_start(GetParam());
  add("b");
  FakeRun r = run();
  EXPECT_EQ(r.result(0).status, StepStatus::error);
  EXPECT_EQ(r.result(0).error.rfind("could not start: ", 0), 0u) << r.result(0).error;
}

INSTANTIATE_TEST_SUITE_P(Errors, RunnerShortage, ::testing::Values(EMFILE, ENFILE, EAGAIN, ENOMEM),
                         [](const auto& info) { return std::string(strerrorname_np(info.param)); });

TEST_F(RunnerLimits, APipeShortageWaitsForAnEndToo) {
  os.step("long").after(5s).exits(0);
  os.step("b").exits(0);
  add("long"), add("b");
  opt.output = OutputMode::line;  // captures through pipes
  std::vector<Clock::duration> starts;
  os.on_start = [&](const std::string&, std::size_t) {
    starts.push_back(os.now() - os.started_at());
    if (starts.size() == 1) os.fail_captures(EMFILE, 1);
  };
  FakeRun r = run();
  EXPECT_EQ(r.result(1).status, StepStatus::ok);
  EXPECT_EQ(starts, (std::vector<Clock::duration>{0s, 5s}));
}

TEST_F(RunnerLimits, AProgramThatCannotStartFailsAtOnce) {
  os.step("b").cannot_start(ENOENT);
  os.step("c").exits(0);
  add("b"), add("c");
  FakeRun r = run();
  EXPECT_EQ(r.result(0).status, StepStatus::error);
  EXPECT_EQ(r.result(1).status, StepStatus::ok);
}

TEST_F(RunnerLimits, EveryGroupWatchedByTheWatchdogIsReleasedAtTheEnd) {
  os.step("a").after(1s).exits(1);
  os.step("b").after(2s).exits(0);
  add("a"), add("b");
  run();
  EXPECT_TRUE(os.guarded.empty());
  EXPECT_TRUE(os.said_goodbye);
}

}  // namespace
}  // namespace parstep::testing
