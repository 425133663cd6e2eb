// The library leaves the process as it found it (issue 12): run() makes it
// a child subreaper and blocks the signals it reads from a signalfd only
// while it runs, so that a program can run steps twice. This test forks
// (the steps are real processes).
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "fd.h"
#include "run.h"

namespace parstep {
namespace {

struct ProcessState {
  sigset_t mask;
  int subreaper = -1;
  bool operator==(const ProcessState& o) const {
    for (int s = 1; s < NSIG; ++s)
      if (sigismember(&mask, s) != sigismember(&o.mask, s)) return false;
    return subreaper == o.subreaper;
  }
};

ProcessState state_now() {
  ProcessState s;
  sigprocmask(SIG_SETMASK, nullptr, &s.mask);
  prctl(PR_GET_CHILD_SUBREAPER, &s.subreaper);
  return s;
}

RunOutcome run_echo(const std::string& word, int out, int err) {
  StepSpec step;
  step.name = word;
  step.command = "echo " + word;
  RunOptions opt;
  opt.no_header = true;
  // A run waits for every descendant to be gone; one that is not (its own
  // watchdog, were it the caller's child) would end only by SIGKILL after
  // this: a hang, which ctest's timeout fails.
  opt.kill_after = std::chrono::hours(1);
  return run({step}, nullptr, opt, out, err);
}

std::string contents(int fd) {
  char buffer[256];
  ssize_t n = pread(fd, buffer, sizeof buffer, 0);
  return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "";
}

TEST(RunTwice, RestoresTheSignalMaskAndSubreaperStateAfterEachRun) {
  ProcessState before = state_now();
  ASSERT_EQ(before.subreaper, 0);
  Fd out(memfd_create("out", MFD_CLOEXEC)), err(memfd_create("err", MFD_CLOEXEC));
  EXPECT_EQ(run_echo("one", out.get(), err.get()).exit_code, 0);
  EXPECT_TRUE(state_now() == before) << "after the first run";
  EXPECT_EQ(run_echo("two", out.get(), err.get()).exit_code, 0);
  EXPECT_TRUE(state_now() == before) << "after the second run";
  EXPECT_EQ(contents(out.get()), "one\ntwo\n");
  EXPECT_EQ(contents(err.get()), "");
}

TEST(RunTwice, KeepsASignalTheCallerHadBlocked) {
  sigset_t usr1, old;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr1, &old);
  Fd out(memfd_create("out", MFD_CLOEXEC)), err(memfd_create("err", MFD_CLOEXEC));
  run_echo("x", out.get(), err.get());
  sigset_t now;
  sigprocmask(SIG_SETMASK, &old, &now);
  EXPECT_EQ(sigismember(&now, SIGUSR1), 1);
}

TEST(RunTwice, ASubreaperCallerStaysOne) {
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  Fd out(memfd_create("out", MFD_CLOEXEC)), err(memfd_create("err", MFD_CLOEXEC));
  run_echo("x", out.get(), err.get());
  int state = 0;
  prctl(PR_GET_CHILD_SUBREAPER, &state);
  prctl(PR_SET_CHILD_SUBREAPER, 0);
  EXPECT_EQ(state, 1);
}

}  // namespace
}  // namespace parstep
