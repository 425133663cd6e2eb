// End to end: job control (SPEC 4 v2, issue 11 items 8 and 9). Stopping
// parstep stops its steps, continuing it continues them, and the time spent
// stopped counts towards no time limit.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

// Waits until parstep (our child) reports stopped.
bool wait_stopped(pid_t pid) {
  int status = 0;
  return waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status);
}

TEST(JobControl, CtrlZStopsTheStepsAndTheStoppedTimeDoesNotCount) {
  TempDir dir;
  Fifo started(dir.file("started"));
  // The step's sleep ends 1.5 s after it starts, wall time, stopped or
  // not: counted, the 8 s stop would pass its 6 s limit (which leaves a
  // loaded machine 4.5 s for the rest of the step). Were the step not
  // stopped with parstep, `after` would exist by the end of the stop.
  std::string after = dir.file("after");
  Child::Options own_group;
  own_group.own_process_group = true;
  Child c = start_parstep({"--timeout", "6", "--no-header",
                           "echo > " + started.path() + "; sleep 1.5; echo done | tee " + after},
                          own_group);
  ASSERT_TRUE(started.read_line(std::chrono::minutes(2)));
  kill(c.pid(), SIGTSTP);
  ASSERT_TRUE(wait_stopped(c.pid()));
  std::this_thread::sleep_for(std::chrono::seconds(8));  // the stop itself, not a synchronisation
  EXPECT_NE(access(after.c_str(), F_OK), 0) << "the step kept running while parstep was stopped";
  kill(c.pid(), SIGCONT);
  int status = c.finish(std::chrono::minutes(2));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << "\n" << c.err;
  EXPECT_EQ(c.out, "done\n");
}

TEST(JobControl, ASilentTimeoutIsNotHitWhileParstepItselfWasStopped) {
  TempDir dir;
  Fifo started(dir.file("started"));
  // Writes every 0.2 s for 8 s; parstep is stopped (SIGSTOP: it cannot see
  // it coming) for 4 s, twice its --silent-timeout.
  Child c = start_parstep({"--silent-timeout", "2", "--no-header",
                           "echo > " + started.path() + "; i=0; while [ $i -lt 40 ]; do echo $i; i=$((i+1)); sleep 0.2; done"});
  ASSERT_TRUE(started.read_line(std::chrono::minutes(2)));
  kill(c.pid(), SIGSTOP);
  ASSERT_TRUE(wait_stopped(c.pid()));
  std::this_thread::sleep_for(std::chrono::seconds(4));  // the stop itself, not a synchronisation
  kill(c.pid(), SIGCONT);
  int status = c.finish(std::chrono::minutes(2));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << "\n" << c.err;
  EXPECT_EQ(c.err.find("hung"), std::string::npos) << c.err;
}

TEST(JobControl, AStoppedStepIsContinuedWhenTheRunIsInterrupted) {
  TempDir dir;
  Fifo started(dir.file("started"));
  std::string s = unique_sleep();
  Child c = start_parstep({"--kill-after", "600", "echo > " + started.path() + "; exec sleep " + s});
  ASSERT_TRUE(started.read_line(std::chrono::minutes(2)));
  std::vector<pid_t> pids;
  while ((pids = processes_with_argument(s)).empty()) std::this_thread::yield();
  kill(pids[0], SIGSTOP);
  kill(c.pid(), SIGTERM);
  int status = c.finish(std::chrono::minutes(2));  // without SIGCONT: the 10 minutes of --kill-after
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
  EXPECT_TRUE(processes_with_argument(s).empty());
}

}  // namespace
}  // namespace parstep::test
