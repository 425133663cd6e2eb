// End to end: --on-error continue, finish and halt (SPEC 1 and 4).
#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

TEST(OnError, ContinueRunsEveryStep) {
  Result r = run_parstep({"-j1", "--no-header", "echo a; exit 1", "echo b", "exit 2"});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.out, "a\nb\n");
  EXPECT_EQ(r.err,
            "parstep: 2 of 3 steps did not succeed:\n"
            "  echo a; exit 1: exit 1\n"
            "    | a\n"
            "  exit 2: exit 2\n");
}

TEST(OnError, FinishLetsRunningStepsEndAndStartsNoNewOne) {
  TempDir dir;
  make_fifo(dir.file("go"));
  Child c = start_parstep({"-j2", "--on-error", "finish", "--no-header",
                           "read x < " + dir.file("go") + "; echo survivor", "echo failing; exit 1",
                           "echo never"});
  ASSERT_TRUE(c.read_stdout_until("failing\n"));
  release(dir.file("go"));
  int status = c.finish();
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_EQ(c.out, "failing\nsurvivor\n");
  EXPECT_NE(c.err.find("  echo never: not started\n"), std::string::npos) << c.err;
}

TEST(OnError, HaltStopsRunningStepsPromptlyAndDropsTheirOutput) {
  TempDir dir;
  make_fifo(dir.file("ready"));
  std::string s1 = unique_sleep(), s2 = unique_sleep();
  // --kill-after 600: returning within a minute proves that no step needed SIGKILL.
  Result r = run_parstep({"-j3", "-x", "--no-header", "--kill-after", "600",
                       "echo partial; echo > " + dir.file("ready") + "; exec sleep " + s1,
                       "read x < " + dir.file("ready") + "; echo failing; exit 4",
                       "exec sleep " + s2, "echo never"});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.out, "failing\n");
  EXPECT_LT(r.seconds, 60.0) << "halt waited for --kill-after (SPEC 4: prompt when steps obey SIGTERM)";
  EXPECT_TRUE(processes_with_argument(s1).empty());
  EXPECT_TRUE(processes_with_argument(s2).empty());
  EXPECT_NE(r.err.find("  exec sleep " + s2 + ": stopped\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("  echo never: not started\n"), std::string::npos) << r.err;
}

TEST(OnError, HaltInOrderedModeEndsTheLiveBlockAndPrintsTheFailure) {
  TempDir dir;
  make_fifo(dir.file("ready"));
  std::string s1 = unique_sleep();
  std::string head = "printf partial; echo > " + dir.file("ready") + "; exec sleep " + s1;
  std::string failing = "read x < " + dir.file("ready") + "; echo failing; exit 1";
  Result r = run_parstep({"-j2", "-x", "-o", "ordered", head, failing});
  EXPECT_EQ(without_durations(r.out),
            "==> " + head + "\npartial\n==> " + failing + " (FAILED: exit 1, T)\nfailing\n");
  EXPECT_TRUE(processes_with_argument(s1).empty());
}

TEST(OnError, HaltKillsAGrandchildThatIgnoresSigterm) {
  TempDir dir;
  make_fifo(dir.file("ready"));
  std::string s = unique_sleep();
  Result r = run_parstep({"-j2", "-x", "--kill-after", "0.3",
                       "trap '' TERM; sleep " + s + " & echo > " + dir.file("ready") + "; wait",
                       "read x < " + dir.file("ready") + "; exit 1"});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_TRUE(processes_with_argument(s).empty());
  EXPECT_GE(r.seconds, 0.3);  // the grace was given
}

TEST(OnError, HaltKillsAGrandchildThatCalledSetsid) {
  TempDir dir;
  make_fifo(dir.file("ready"));
  std::string obeys = unique_sleep(), ignores = unique_sleep();
  Result r = run_parstep({"-j2", "-x", "--kill-after", "0.3",
                       "setsid sleep " + obeys + " & (trap '' TERM; exec setsid sleep " + ignores +
                           ") & echo > " + dir.file("ready") + "; wait",
                       "read x < " + dir.file("ready") + "; exit 1"});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_TRUE(processes_with_argument(obeys).empty());
  EXPECT_TRUE(processes_with_argument(ignores).empty());
}

}  // namespace
}  // namespace parstep::test
