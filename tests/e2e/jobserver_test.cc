// End to end: parstep as a GNU make jobserver client (SPEC 6). The pool is
// a pipe made here; every token must be back in it after every exit path.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

// A step that records how many steps run at once: it makes a directory of
// its own, counts the directories, and removes its own.
std::string counting_step(const TempDir& dir) {
  return "mkdir " + dir.path() + "/run.$PARSTEP_INDEX && ls -d " + dir.path() + "/run.* | wc -l >> " +
         dir.file("counts") + " && sleep 0.1 && rmdir " + dir.path() + "/run.$PARSTEP_INDEX";
}

int max_count(const TempDir& dir) {
  std::istringstream in(read_file(dir.file("counts")));
  int most = 0;
  for (int n; in >> n;) most = std::max(most, n);
  return most;
}

TEST(Jobserver, StepsRunOnTheImplicitTokenPlusThePoolsAndReturnThemAll) {
  TempDir dir;
  JobserverPool pool(2);
  Child::Options o;
  o.env = {pool.makeflags()};
  std::vector<std::string> args{"--no-header"};
  for (int i = 0; i < 8; ++i) args.push_back(counting_step(dir) + " # " + std::to_string(i));
  Result r = run_parstep(args, o);
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(max_count(dir), 3);  // 1 implicit + 2 tokens, although -j is not given
  EXPECT_EQ(pool.drain(), 2);
}

TEST(Jobserver, DashJStillCaps) {
  TempDir dir;
  JobserverPool pool(5);
  Child::Options o;
  o.env = {pool.makeflags()};
  std::vector<std::string> args{"-j2", "--no-header"};
  for (int i = 0; i < 6; ++i) args.push_back(counting_step(dir) + " # " + std::to_string(i));
  EXPECT_EQ(run_parstep(args, o).exit_code(), 0);
  EXPECT_EQ(max_count(dir), 2);
  EXPECT_EQ(pool.drain(), 5);
}

TEST(Jobserver, EveryTokenIsBackAfterHaltTimeoutAndFailure) {
  JobserverPool pool(3);
  Child::Options o;
  o.env = {pool.makeflags()};
  std::string s = unique_sleep();
  Result halted = run_parstep({"-x", "sleep 0.2; exit 1", "exec sleep " + s, "exec sleep " + s, "exec sleep " + s}, o);
  EXPECT_EQ(halted.exit_code(), 1);
  EXPECT_EQ(pool.drain(), 3);
  EXPECT_TRUE(processes_with_argument(s).empty());

  JobserverPool pool2(3);
  o.env = {pool2.makeflags()};
  Result timed = run_parstep({"--timeout", "0.2", "--retries", "1", "exec sleep " + s, "false", "true"}, o);
  EXPECT_EQ(timed.exit_code(), 1);
  EXPECT_EQ(pool2.drain(), 3);
}

TEST(Jobserver, EveryTokenIsBackAfterAnInterruptAndABrokenStdout) {
  TempDir dir;
  JobserverPool pool(3);
  Fifo started(dir.file("started"));
  Child::Options o;
  o.env = {pool.makeflags()};
  std::string s = unique_sleep();
  std::string step = "echo > " + started.path() + "; exec sleep " + s;
  Child c = start_parstep({step, step, step}, o);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(started.read_line());
  kill(c.pid(), SIGINT);
  int status = c.finish();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
  EXPECT_EQ(pool.drain(), 3);

  JobserverPool pool2(2);
  o.env = {pool2.makeflags()};
  Child piped = start_parstep({"yes | head -c 1000000", "exec sleep " + s, "exec sleep " + s}, o);
  ASSERT_TRUE(piped.read_stdout_until("\n"));
  piped.close_stdout();
  status = piped.finish();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);
  EXPECT_EQ(pool2.drain(), 2);
}

TEST(Jobserver, AnUnusableJobserverFallsBackToDashJWithANote) {
  TempDir dir;
  Child::Options o;
  o.env = {"MAKEFLAGS= -j2 --jobserver-auth=97,98"};  // not open
  std::vector<std::string> args{"--no-header"};
  for (int i = 0; i < 4; ++i) args.push_back(counting_step(dir) + " # " + std::to_string(i));
  Result r = run_parstep(args, o);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.err, "parstep: warning: the jobserver in MAKEFLAGS is unusable: its descriptors 97,98 are not "
                   "open pipes (a make recipe without '+' closes them); running at most 2 steps at once\n");
  EXPECT_EQ(max_count(dir), 2);  // MAKEFLAGS' -j2
  o.env = {"MAKEFLAGS=--jobserver-auth=fifo:/nonexistent/fifo"};
  Result fifo = run_parstep({"-j1", "true"}, o);
  EXPECT_EQ(fifo.exit_code(), 0);
  EXPECT_EQ(fifo.err, "parstep: warning: the jobserver in MAKEFLAGS is unusable: its fifo /nonexistent/fifo "
                      "cannot be opened: No such file or directory; running at most 1 steps at once\n");
}

// SPEC 6 v2: parstep holds (running steps - 1) tokens. The step on the
// implicit slot ends first; the other still runs on the pool's only token,
// which parstep must write back at once (a token is not tied to its step).
TEST(Jobserver, AStepEndingWhileOthersRunOnTokensGivesATokenBack) {
  TempDir dir;
  JobserverPool pool(1);
  Fifo started(dir.file("started"));
  make_fifo(dir.file("gate0"));
  make_fifo(dir.file("gate1"));
  Child::Options o;
  o.env = {pool.makeflags()};
  Child c = start_parstep({"--no-header", "echo > " + started.path() + "; read x < " + dir.file("gate0"),
                           "echo > " + started.path() + "; read x < " + dir.file("gate1")}, o);
  ASSERT_TRUE(started.read_line());
  ASSERT_TRUE(started.read_line());  // both run: the pool is empty now
  release(dir.file("gate0"));
  EXPECT_TRUE(pool.wait_token()) << "the implicit slot's step ended but no token came back";
  release(dir.file("gate1"));
  EXPECT_EQ(c.finish(), 0);
  EXPECT_EQ(pool.drain(), 1);
}

// SPEC 6 v2: the dead jobserver is not passed on, and the CMake module's
// PARSTEP_JOBSERVER_MISSING_OK silences the note.
TEST(Jobserver, StepsOfADeadJobserverGetMakeflagsWithoutIt) {
  Child::Options o;
  o.env = {"MAKEFLAGS=k -j2 --jobserver-auth=97,98 --no-print-directory"};
  Result r = run_parstep({"--no-header", "echo \"[$MAKEFLAGS]\""}, o);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.out, "[ k --no-print-directory]\n");
  o.env.push_back("PARSTEP_JOBSERVER_MISSING_OK=1");
  Result quiet = run_parstep({"--no-header", "echo \"[$MAKEFLAGS]\""}, o);
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(quiet.out, "[ k --no-print-directory]\n");
}

// make -n runs '+' recipes: parstep then shows its steps and runs nothing.
TEST(Jobserver, MakeDashNInMakeflagsIsADryRun) {
  TempDir dir;
  Child::Options o;
  o.env = {"MAKEFLAGS=n -j2"};
  Result r = run_parstep({"touch " + dir.file("ran")}, o);
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.out, "==> touch " + dir.file("ran") + "\n    touch " + dir.file("ran") + "\n");
  EXPECT_FALSE(std::filesystem::exists(dir.file("ran")));
  o.env = {"MAKEFLAGS= -j2 -- V=n"};
  EXPECT_EQ(run_parstep({"--no-header", "touch " + dir.file("ran")}, o).exit_code(), 0);
  EXPECT_TRUE(std::filesystem::exists(dir.file("ran")));
}

// Issue 11 item 12: a nested --jobserver run without -j shares the pool.
TEST(Jobserver, ANestedJobserverRunWithoutDashJJoinsThePoolItInherited) {
  std::string inner = "'" + parstep_path() + "' --jobserver --no-header 'echo inner=${MAKEFLAGS##*fifo:}'";
  Result r = run_parstep({"-j3", "--jobserver", "--jobserver-style", "fifo", "--no-header",
                          "echo outer=${MAKEFLAGS##*fifo:}; " + inner});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  auto newline = r.out.find('\n');
  ASSERT_NE(newline, std::string::npos) << r.out;
  std::string outer = r.out.substr(6, newline - 6);
  EXPECT_EQ(r.out, "outer=" + outer + "\ninner=" + outer + "\n");
}

// Issue 11 item 16: pools larger than a pipe's default 64 KiB, up to -j's
// largest value (the pipe is grown with F_SETPIPE_SZ; beyond
// /proc/sys/fs/pipe-max-size, -j with --jobserver is a usage error).
TEST(Jobserver, HugePoolsStart) {
  for (const char* jobs : {"100000", "1000000"}) {
    Result r = run_parstep({"-j", jobs, "--jobserver", "--no-header", "echo ${MAKEFLAGS%% *}"});
    EXPECT_EQ(r.exit_code(), 0) << r.err;
    EXPECT_EQ(r.out, std::string("-j") + jobs + "\n");
  }
}

// Issue 11 item 6: the served fifo and its directory go on every exit path.
TEST(Jobserver, TheServedFifoIsRemovedWhenASignalOrABrokenPipeEndsTheRun) {
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) {
    TempDir dir;
    Fifo started(dir.file("started"));
    std::filesystem::create_directory(dir.file("tmp"));
    Child::Options o;
    o.env = {"TMPDIR=" + dir.file("tmp")};
    std::string s = unique_sleep();
    std::vector<std::string> steps{"-j2", "--jobserver", "echo > " + started.path() + "; exec sleep " + s};
    if (sig == SIGPIPE) steps.push_back("yes | head -c 1000000");
    Child c = start_parstep(steps, o);
    ASSERT_TRUE(started.read_line());
    if (sig == SIGPIPE) {
      ASSERT_TRUE(c.read_stdout_until("\n"));
      c.close_stdout();
    } else {
      kill(c.pid(), sig);
    }
    int status = c.finish();
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig) << sig;
    EXPECT_TRUE(std::filesystem::is_empty(dir.file("tmp"))) << "left in TMPDIR after signal " << sig;
  }
}

// auto with make 4.2/4.3 on PATH (or none): the fifo form for ninja >= 1.13,
// make >= 4.4 and parstep, then "--jobserver-a=R,W", which make 4.3's getopt
// takes as its last --jobserver-auth (integration/jobserver runs real make).
TEST(Jobserver, AutoStyleAnnouncesTheFifoThenTheAbbreviatedPipeForm) {
  Child::Options o;
  o.env = {"PATH=/nonexistent"};  // no make to ask
  Result r = run_parstep({"-j3", "--jobserver", "--no-header",
                          "case \"$MAKEFLAGS\" in \"-j3 --jobserver-auth=fifo:\"*\" --jobserver-a=\"*,*) echo both;; "
                          "*) echo \"$MAKEFLAGS\";; esac; fds=${MAKEFLAGS##*--jobserver-a=}; "
                          "test -p /proc/self/fd/${fds%,*} && test -p /proc/self/fd/${fds#*,} && echo open"},
                         o);
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.out, "both\nopen\n");
}

TEST(Jobserver, ServedPoolsArePrivateAndRemoved) {
  TempDir dir;
  Child::Options o;
  o.env = {"TMPDIR=" + dir.path()};
  Result r = run_parstep({"-j2", "--jobserver", "--jobserver-style", "fifo", "--no-header",
                          "f=${MAKEFLAGS##*fifo:}; stat -c '%a %F' \"$f\" \"$(dirname \"$f\")\""}, o);
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.out, "600 fifo\n700 directory\n");
  std::string left;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) left += entry.path().string();
  EXPECT_EQ(left, "") << "the jobserver fifo was not removed";
}

TEST(Jobserver, PipeStyleHandsStepsInheritedDescriptors) {
  Result r = run_parstep({"-j3", "--jobserver", "--jobserver-style", "pipe", "--no-header",
                          "fds=${MAKEFLAGS##*--jobserver-auth=}; echo \"$MAKEFLAGS\" | grep -c -- '-j3'; "
                          "stat -L -c %F /proc/self/fd/${fds%,*} /proc/self/fd/${fds#*,}"});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.out, "1\nfifo\nfifo\n");
}

}  // namespace
}  // namespace parstep::test
