// End to end: stdout is a pipe whose reader takes nothing (`parstep … |
// sleep 1000`). Writes to it must not stall parstep: time limits, halting
// and signals keep working (issue 11 item 2).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

// Whether some process has `word` as an argument (`there`), or none has any
// more, looking every 10 ms until `limit`.
bool seen_within(const std::string& word, bool there, std::chrono::seconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (processes_with_argument(word).empty() == there) {
    if (std::chrono::steady_clock::now() >= until) return false;
    poll(nullptr, 0, 10);
  }
  return true;
}

bool there_within(const std::string& word, std::chrono::seconds limit) { return seen_within(word, true, limit); }
bool gone_within(const std::string& word, std::chrono::seconds limit) { return seen_within(word, false, limit); }

// A pipe for parstep's stdout that nobody reads.
struct StalledReader {
  int fds[2];
  StalledReader() { EXPECT_EQ(pipe2(fds, O_CLOEXEC), 0); }
  ~StalledReader() { close(fds[0]); }
  Child::Options options() const {
    Child::Options o;
    o.stdout_fd = fds[1];
    return o;
  }
  void parstep_has_it() { close(fds[1]); }
};

TEST(StalledStdout, TimeoutHaltAndSigtermStillWork) {
  TempDir dir;
  make_fifo(dir.file("go"));
  Fifo started(dir.file("started"));
  std::string halted = unique_sleep();
  StalledReader reader;
  // -j2: the failing step starts only once the first has ended, so that
  // its block (more than a pipe holds) is waiting for the stalled reader.
  Child c = start_parstep({"-x", "-j2", "--kill-after", "600", "head -c 1000000 /dev/zero",
                           "echo > " + started.path() + "; exec sleep " + halted,
                           "echo > " + started.path() + "; read x < " + dir.file("go") + "; exit 1"},
                          reader.options());
  reader.parstep_has_it();
  ASSERT_TRUE(started.read_line(std::chrono::minutes(2)));
  ASSERT_TRUE(started.read_line(std::chrono::minutes(2)));
  ASSERT_TRUE(there_within(halted, std::chrono::seconds(120)));  // it says it started just before its exec
  release(dir.file("go"));  // the failing step: -x must stop `halted`
  EXPECT_TRUE(gone_within(halted, std::chrono::seconds(120))) << "-x did nothing while stdout was stalled";
  kill(c.pid(), SIGTERM);
  int status = c.finish(std::chrono::minutes(2));
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << "status " << status << "\n" << c.err;
}

TEST(StalledStdout, ATimeoutStillStopsAStep) {
  TempDir dir;
  Fifo started(dir.file("started"));
  std::string s = unique_sleep();
  StalledReader reader;
  // The sleep is seen before its 3 s limit (the test looks every 10 ms),
  // then seen to go.
  Child c = start_parstep({"--timeout", "3", "-j2", "head -c 1000000 /dev/zero; echo > " + started.path(),
                           "exec sleep " + s},
                          reader.options());
  reader.parstep_has_it();
  ASSERT_TRUE(started.read_line(std::chrono::minutes(2)));
  ASSERT_TRUE(there_within(s, std::chrono::seconds(120)));
  EXPECT_TRUE(gone_within(s, std::chrono::seconds(120))) << "--timeout did nothing while stdout was stalled";
  kill(c.pid(), SIGINT);
  int status = c.finish(std::chrono::minutes(2));
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) << "status " << status << "\n" << c.err;
  EXPECT_NE(c.err.find("timed out after 3s"), std::string::npos) << c.err;
}

}  // namespace
}  // namespace parstep::test
