#include "watchdog.h"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "subprocess.h"

namespace parstep {
namespace {

pid_t sleeper() {
  SpawnRequest r;
  r.argv = {"/bin/sleep", "600"};
  r.output_fd = 2;
  return spawn_process(r);  // in a process group of its own
}

// The signal that ended `pid`, waiting at most a minute for it; -1 if none.
int end_of(pid_t pid) {
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  pollfd p{pidfd, POLLIN, 0};
  if (pidfd < 0 || poll(&p, 1, 60'000) != 1) {
    if (pidfd >= 0) close(pidfd);
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return -1;
  }
  close(pidfd);
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  return WIFSIGNALED(status) ? WTERMSIG(status) : -1;
}

// A table of one slot: `a` takes it and gives it back, `b` overflows into
// the pipe, `c` reuses the slot. Dropped without a goodbye (as when parstep
// is killed), the watchdog kills what is watched in the table and through
// the pipe, and leaves what was unwatched. It acts once this process is gone
// or after its 5 s wait for that.
TEST(Watchdog, KillsWhatTheTableAndThePipeHoldAndNothingElse) {
  pid_t a = sleeper(), b = sleeper(), c = sleeper();
  {
    Watchdog watchdog(1);
    ASSERT_TRUE(watchdog.running());
    watchdog.watch(a);
    watchdog.watch(b);
    watchdog.unwatch(a);
    watchdog.watch(c);
  }
  EXPECT_EQ(end_of(b), SIGKILL);
  EXPECT_EQ(end_of(c), SIGKILL);
  EXPECT_EQ(kill(a, 0), 0);  // still there
  kill(a, SIGKILL);
  EXPECT_EQ(end_of(a), SIGKILL);
}

}  // namespace
}  // namespace parstep
