#include "exit_status.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace parstep {
namespace {

int wait_status_of(void (*body)()) {
  pid_t pid = fork();
  if (pid == 0) {
    body();
    _exit(99);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST(ExitStatus, FromARealExitCode) {
  ExitStatus s = ExitStatus::from_wait(wait_status_of([] { _exit(3); }));
  EXPECT_FALSE(s.success());
  EXPECT_EQ(s.code(), 3);
  EXPECT_EQ(s.signal(), std::nullopt);
  EXPECT_EQ(s.describe(), "exit 3");
}

TEST(ExitStatus, FromARealSignalDeath) {
  ExitStatus s = ExitStatus::from_wait(wait_status_of([] {
    signal(SIGSEGV, SIG_DFL);
    raise(SIGSEGV);
  }));
  EXPECT_EQ(s.code(), std::nullopt);
  EXPECT_EQ(s.signal(), SIGSEGV);
  EXPECT_EQ(s.describe(), "killed by SIGSEGV");
}

TEST(ExitStatus, SuccessOnlyForExitZero) {
  EXPECT_TRUE(ExitStatus::exited(0).success());
  EXPECT_FALSE(ExitStatus::killed(SIGTERM).success());
  EXPECT_EQ(signal_name(SIGTERM), "SIGTERM");
  EXPECT_EQ(signal_name(200), "signal 200");
}

}  // namespace
}  // namespace parstep
