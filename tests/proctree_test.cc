#include "proctree.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include <gtest/gtest.h>

namespace parstep {
namespace {

TEST(ProcessTree, FindsDescendantsThroughTheirParents) {
  std::vector<ProcessInfo> table{
      {10, 1, 10, 'S'}, {11, 10, 11, 'S'}, {12, 11, 12, 'S'}, {13, 10, 13, 'Z'}, {14, 1, 14, 'S'}};
  auto d = descendants(table, 10);
  std::sort(d.begin(), d.end());
  EXPECT_EQ(d, (std::vector<pid_t>{11, 12}));  // the zombie and the stranger are left out
}

TEST(ProcessTree, ReadsTheRealTableAndSignalsAGrandchildInAnotherSession) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  pid_t child = fork();
  if (child == 0) {
    close(p[0]);
    pid_t grandchild = fork();
    if (grandchild == 0) {
      setsid();
      close(p[1]);
      pause();
      _exit(0);
    }
    (void)!write(p[1], &grandchild, sizeof grandchild);
    int status = 0;
    waitpid(grandchild, &status, 0);
    _exit(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 7 : 1);
  }
  close(p[1]);
  pid_t grandchild = 0;
  ASSERT_EQ(read(p[0], &grandchild, sizeof grandchild), static_cast<ssize_t>(sizeof grandchild));
  close(p[0]);
  auto d = descendants(read_process_table(), getpid());
  EXPECT_NE(std::find(d.begin(), d.end(), child), d.end());
  EXPECT_NE(std::find(d.begin(), d.end(), grandchild), d.end());
  EXPECT_EQ(signal_descendants(child, SIGKILL), 1u);  // the grandchild only
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 7) << "grandchild not killed";
}

}  // namespace
}  // namespace parstep
