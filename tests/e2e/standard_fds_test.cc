// End to end: parstep started with stdin, stdout or stderr closed (issue 11
// item 1). Each closed one reads and writes as /dev/null, and no descriptor
// parstep opens (signalfd, epoll, jobserver) takes its place.
#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

// Runs parstep through sh so that `redirections` (e.g. "<&- 2>&-") close
// descriptors before parstep starts.
Result run_with(const std::string& redirections, const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/bin/sh", "-c", "exec \"$0\" \"$@\" " + redirections, parstep_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  Child child(argv, {});
  Result r;
  r.status = child.finish(std::chrono::minutes(2));
  r.out = child.out;
  r.err = child.err;
  return r;
}

// A step that prints where parstep's (its parent's) descriptors 0..2 lead.
const std::string kShowParentFds = "for f in 0 1 2; do readlink /proc/$PPID/fd/$f; done";

TEST(StandardFds, AClosedStdinIsAnEmptyQueue) {
  Result r = run_with("<&-", {});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
}

TEST(StandardFds, ClosedStdinAndStderrBecomeDevNull) {
  Result r = run_with("<&- 2>&-", {"--no-header", "--jobserver", "-j2", kShowParentFds});
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.out.substr(0, 10), "/dev/null\n") << r.out;
  EXPECT_EQ(r.out.substr(r.out.size() - 10), "/dev/null\n") << r.out;
}

TEST(StandardFds, AClosedStdoutDiscardsOutputAndTheRunSucceeds) {
  TempDir dir;
  std::string saved = dir.file("fds");
  Result r = run_with(">&-", {"--no-header", "yes | head -c 1000000", "(" + kShowParentFds + ") > " + saved});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.err, "");
  std::string fds = read_file(saved);
  EXPECT_NE(fds.find("\n/dev/null\n"), std::string::npos) << fds;
}

}  // namespace
}  // namespace parstep::test
