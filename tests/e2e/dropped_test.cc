// End to end: "dropped means dropped, in every mode" (SPEC 2 v2). Once the
// run halts or is interrupted, nothing more of a stopped step reaches
// stdout: in ordered mode the steps after the failed one are not opened as
// live blocks, in line mode held lines and a last unterminated line are not
// flushed. Only bytes printed before the stop stay printed.
#include <signal.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

// Steps that print, say so on `ready`, then run until stopped; and a step
// that fails once the test releases `go`.
struct Scene {
  TempDir dir;
  Fifo ready{dir.file("ready")};
  std::vector<std::string> sleeps;

  Scene() { make_fifo(dir.file("go")); }
  std::string stopped(const std::string& output) {
    sleeps.push_back(unique_sleep());
    return output + "; echo > " + ready.path() + "; exec sleep " + sleeps.back();
  }
  std::string failing(const std::string& output = "") {
    return "read x < " + dir.file("go") + "; " + output + " exit 1";
  }
  // With --retries=1: the first attempt fails at once, the second as above.
  std::string failing_twice(const std::string& output) {
    return "[ -e " + dir.file("tried") + " ] || { touch " + dir.file("tried") + "; exit 1; }; " + failing(output);
  }
  // Waits for `n` stopped steps to have printed, then fails the failing one.
  void fail_after(Child& c, int n) {
    for (int i = 0; i < n; ++i) ASSERT_TRUE(ready.read_line());
    release(dir.file("go"));
    c.finish();
  }
  void interrupt_after(Child& c, int n) {
    for (int i = 0; i < n; ++i) ASSERT_TRUE(ready.read_line());
    kill(c.pid(), SIGTERM);
    c.finish();
  }
  void expect_all_gone() {
    for (const auto& s : sleeps) EXPECT_TRUE(processes_with_argument(s).empty()) << s;
  }
};

// The case: the failed step is the live head; the running steps
// after it must not be opened as live blocks.
TEST(Dropped, OrderedHaltOpensNoStepAfterTheFailedHead) {
  Scene s;
  std::string head = s.failing();
  Child c = start_parstep({"-x", "-j3", "-o", "ordered", "--no-header", head, s.stopped("echo two"),
                           s.stopped("echo three")});
  s.fail_after(c, 2);
  EXPECT_EQ(c.out, "");
  s.expect_all_gone();
}

TEST(Dropped, OrderedHaltWithHeadersPrintsOnlyTheHeadsBlock) {
  Scene s;
  std::string head = s.failing("echo fail;");
  Child c = start_parstep({"-x", "-j3", "-o", "ordered", head, s.stopped("echo two"), s.stopped("echo three")});
  s.fail_after(c, 2);
  EXPECT_EQ(c.out, "==> " + head + "\nfail\n");
}

// A stopped head closes its live block at once (what was printed stays), and
// the failed step after it is printed whole.
TEST(Dropped, OrderedHaltClosesTheStoppedLiveHeadAndPrintsTheFailure) {
  Scene s;
  std::string head = s.stopped("printf partial");
  std::string middle = s.stopped("echo middle");
  std::string failing = s.failing("echo failing;");
  Child c = start_parstep({"-x", "-j3", "-o", "ordered", head, failing, middle});
  ASSERT_TRUE(c.read_stdout_until("partial"));
  s.fail_after(c, 2);
  EXPECT_EQ(without_durations(c.out),
            "==> " + head + "\npartial\n==> " + failing + " (FAILED: exit 1, T)\nfailing\n");
  s.expect_all_gone();
}

TEST(Dropped, OrderedWithoutLiveBlocksPrintsOnlyTheFailure) {
  for (std::string option : {"--output-on-failure", "--retries=1"}) {
    Scene s;
    std::string head = option == "--retries=1" ? s.failing_twice("echo fail;") : s.failing("echo fail;");
    Child c = start_parstep({"-x", "-j3", "-o", "ordered", "--no-header", option, head, s.stopped("echo two"),
                             s.stopped("echo three")});
    s.fail_after(c, 2);
    EXPECT_EQ(c.out, "fail\n") << option;
    s.expect_all_gone();
  }
}

TEST(Dropped, GroupHaltPrintsOnlyTheFailure) {
  Scene s;
  Child c = start_parstep({"-x", "-j3", "--no-header", s.stopped("echo one"), s.stopped("echo two"),
                           s.failing("echo fail;")});
  s.fail_after(c, 2);
  EXPECT_EQ(c.out, "fail\n");
}

// Line mode: lines printed before the halt stay; the unterminated last line
// of a stopped step is not flushed.
TEST(Dropped, LineHaltFlushesNoUnterminatedLineOfAStoppedStep) {
  Scene s;
  std::string one = s.stopped("echo one; printf part");
  std::string failing = s.failing("echo fail;");
  Child c = start_parstep({"-x", "-j2", "-o", "line", one, failing});
  ASSERT_TRUE(c.read_stdout_until("one\n"));
  s.fail_after(c, 1);
  EXPECT_EQ(c.out, "[" + one + "] one\n[" + failing + "] fail\n");
}

// Line mode holding lines (--output-on-failure): a stopped step's held lines
// are not flushed.
TEST(Dropped, LineHaltFlushesNoHeldLines) {
  Scene s;
  std::string failing = s.failing("echo fail;");
  Child c = start_parstep({"-x", "-j3", "-o", "line", "--output-on-failure", s.stopped("echo one; printf part"),
                           s.stopped("echo two"), failing});
  s.fail_after(c, 2);
  EXPECT_EQ(c.out, "[" + failing + "] fail\n");
}

TEST(Dropped, InterruptInOrderedModeOpensNoFurtherBlock) {
  Scene s;
  Child c = start_parstep({"-j3", "-o", "ordered", "--no-header", s.stopped("echo one"), s.stopped("echo two"),
                           s.stopped("echo three")});
  ASSERT_TRUE(c.read_stdout_until("one\n"));
  s.interrupt_after(c, 3);
  EXPECT_EQ(c.out, "one\n");
  s.expect_all_gone();
}

TEST(Dropped, InterruptInOrderedModeWithoutLiveBlocksPrintsNothing) {
  Scene s;
  Child c = start_parstep({"-j3", "-o", "ordered", "--output-on-failure", s.stopped("echo one"),
                           s.stopped("echo two")});
  s.interrupt_after(c, 2);
  EXPECT_EQ(c.out, "");
}

TEST(Dropped, InterruptInGroupModePrintsNothing) {
  Scene s;
  Child c = start_parstep({"-j3", s.stopped("echo one"), s.stopped("echo two")});
  s.interrupt_after(c, 2);
  EXPECT_EQ(c.out, "");
}

TEST(Dropped, InterruptInLineModeFlushesNoUnterminatedLine) {
  Scene s;
  std::string one = s.stopped("echo one; printf part");
  Child c = start_parstep({"-j2", "-o", "line", one});
  ASSERT_TRUE(c.read_stdout_until("one\n"));
  s.interrupt_after(c, 1);
  EXPECT_EQ(c.out, "[" + one + "] one\n");
}

}  // namespace
}  // namespace parstep::test
