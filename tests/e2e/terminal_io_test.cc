// End to end, on a real pseudo-terminal: a step that reads the terminal is
// stopped by SIGTTIN (only parstep's process group is in the foreground);
// parstep says which step and which signal, and ends it instead of hanging
// (issue 11 item 4).
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "test_util.h"

extern char** environ;

namespace parstep::test {
namespace {

TEST(Terminal, AStepStoppedByTerminalInputIsReportedAndEnded) {
  int master = -1, slave = -1;
  if (openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) GTEST_SKIP() << "no pseudo-terminal";
  int err[2];
  ASSERT_EQ(pipe2(err, O_CLOEXEC), 0);
  std::string tty = ttyname(slave);
  // parstep leads a session whose controlling terminal is the pty.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, tty.c_str(), O_RDWR, 0);
  posix_spawn_file_actions_adddup2(&actions, 0, 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
  std::string binary = parstep_path(), step = "exec cat /dev/tty";
  std::vector<char*> argv{binary.data(), step.data(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, binary.c_str(), &actions, &attr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(err[1]);
  close(slave);
  std::string out;
  char buffer[4096];
  for (ssize_t n; (n = read(err[0], buffer, sizeof buffer)) > 0;) out.append(buffer, n);  // ends when parstep does
  int status = 0;
  waitpid(pid, &status, 0);
  close(err[0]);
  close(master);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << status << "\n" << out;
  EXPECT_NE(out.find("parstep: error: step exec cat /dev/tty stopped by SIGTTIN: it read from the terminal "
                     "(steps cannot use it)\n"),
            std::string::npos) << out;
}

}  // namespace
}  // namespace parstep::test
