// End to end: signals, broken stdout, leftover processes and descriptors
// (SPEC sections 1 and 4).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

class Interrupt : public testing::TestWithParam<int> {};

TEST_P(Interrupt, StopsEveryStepThenDiesOfTheSameSignal) {
  TempDir dir;
  Fifo started(dir.file("started"));
  std::string s1 = unique_sleep(), s2 = unique_sleep(), s3 = unique_sleep();
  std::string announce = "echo $$ > " + started.path() + "; ";
  Child c = start_parstep({"-j2", "--kill-after", "0.5", announce + "exec sleep " + s1,
                           announce + "(trap '' TERM; exec setsid sleep " + s2 + ") & wait",
                           "exec sleep " + s3});
  ASSERT_TRUE(started.read_line());
  ASSERT_TRUE(started.read_line());
  kill(c.pid(), GetParam());
  int status = c.finish();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == GetParam()) << "status " << status;
  for (const auto& s : {s1, s2, s3}) EXPECT_TRUE(processes_with_argument(s).empty()) << s;
  EXPECT_NE(c.err.find("  " + announce + "exec sleep " + s1 + ": stopped\n"), std::string::npos) << c.err;
  EXPECT_NE(c.err.find("  exec sleep " + s3 + ": not started\n"), std::string::npos) << c.err;
}

INSTANTIATE_TEST_SUITE_P(Signals, Interrupt, testing::Values(SIGINT, SIGTERM, SIGHUP),
                         [](const auto& info) { return std::string(sigabbrev_np(info.param)); });

TEST(Process, ABackgroundProcessHoldingStdoutDoesNotHangTheRun) {
  std::string s = unique_sleep(), stubborn = unique_sleep();
  Result r = run_parstep({"--kill-after", "0.3", "sleep " + s + " & echo started",
                       "(trap '' TERM; exec sleep " + stubborn + ") & echo also"});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_NE(r.out.find("started\n"), std::string::npos);
  EXPECT_NE(r.out.find("also\n"), std::string::npos);
  EXPECT_TRUE(processes_with_argument(s).empty());
  EXPECT_TRUE(processes_with_argument(stubborn).empty());
}

TEST(Process, ADaemonLeftInAnotherSessionIsStoppedAtExit) {
  std::string s = unique_sleep();
  Result r = run_parstep({"setsid sleep " + s + " > /dev/null & echo done"});
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_TRUE(processes_with_argument(s).empty());
}

TEST(Process, ALeftoverWriterNeverLandsInAnotherStepsBlock) {
  // Step 0 ends but leaves a process (in a session of its own) that writes
  // to the step's output later. Its spool must not be reused for step 1.
  TempDir dir;
  Fifo wrote(dir.file("wrote"));
  make_fifo(dir.file("go0"));
  make_fifo(dir.file("go1"));
  make_fifo(dir.file("left"));
  // Step 0 ends only once the leftover is in its own session (so the
  // SIGTERM to step 0's group at its end cannot reach it).
  std::string leaver = "(setsid sh -c 'echo > " + dir.file("left") + "; read x < " + dir.file("go0") +
                       "; echo LEAK; echo > " + wrote.path() + "' &); read y < " + dir.file("left") + "; echo zero";
  Fifo step1(dir.file("step1"));
  std::string later = "echo > " + step1.path() + "; echo one; read x < " + dir.file("go1") + "; echo done";
  Child c = start_parstep({"-j1", "--no-header", leaver, later, "echo two"});
  // Once step 1 runs (so step 0 has ended), the leftover writes; then step 1 ends.
  ASSERT_TRUE(step1.read_line());
  release(dir.file("go0"));
  ASSERT_TRUE(wrote.read_line());
  release(dir.file("go1"));
  c.finish();
  EXPECT_EQ(c.out, "zero\none\ndone\ntwo\n");
}

TEST(Process, AClosedStdoutStopsEverythingWithoutHanging) {
  std::string s = unique_sleep();
  Child c = start_parstep({"-j2", "yes | head -c 10000000", "exec sleep " + s});
  ASSERT_TRUE(c.read_stdout_until("\n"));
  c.close_stdout();
  int status = c.finish();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE) << "status " << status;
  EXPECT_TRUE(processes_with_argument(s).empty());
}

TEST(Process, NoDescriptorOfParstepLeaksIntoAStep) {
  int inherited = open("/dev/null", O_RDONLY);  // parstep inherits it
  Result r = run_parstep({"--no-header", "ls /proc/self/fd | sort -n | tr '\\n' ' '"});
  close(inherited);
  EXPECT_EQ(r.out, "0 1 2 3 ");  // 3 is ls's own handle on the directory
}

TEST(Process, StepsGetNameIndexAndSlot) {
  std::string show = "echo \"$PARSTEP_STEP|$PARSTEP_INDEX|$PARSTEP_SLOT\"";
  Child::Options o;
  o.env = {"PARSTEP_SLOT=inherited"};
  Result r = run_parstep({"-j1", "--no-header", show, show}, o);
  EXPECT_EQ(r.out, show + "|0|1\n" + show + " #2|1|1\n");
}

TEST(Process, NoTwoRunningStepsShareASlot) {
  TempDir dir;
  std::string claim = "mkdir " + dir.path() + "/slot$PARSTEP_SLOT && [ $PARSTEP_SLOT -le 3 ] && sleep 0.05 && rmdir " +
                      dir.path() + "/slot$PARSTEP_SLOT";
  std::vector<std::string> args{"-j3"};
  for (int i = 0; i < 12; ++i) args.push_back(claim + " # " + std::to_string(i));
  Result r = run_parstep(args);
  EXPECT_EQ(r.exit_code(), 0) << r.err;
}

TEST(Process, EachStepRunsInItsOwnProcessGroup) {
  Result r = run_parstep({"--no-header", "[ \"$(cut -d' ' -f5 /proc/$$/stat)\" = $$ ] && echo leader"});
  EXPECT_EQ(r.out, "leader\n");
}

}  // namespace
}  // namespace parstep::test
