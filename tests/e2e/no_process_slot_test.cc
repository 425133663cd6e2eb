// End to end: a step that cannot be started for want of a process slot
// (fork's EAGAIN under `ulimit -u`) waits until a running step ends, like a
// step waiting for descriptors (SPEC 4 v2, issue 11 item 10).
#include <unistd.h>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

// parstep as a user of its own (root is exempt from RLIMIT_NPROC), with at
// most `processes` processes for that user.
Result run_limited(int processes, const std::vector<std::string>& args) {
  std::string uid = std::to_string(50000 + getpid() % 10000);
  std::vector<std::string> argv{"/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
                                "/usr/bin/prlimit", "--nproc=" + std::to_string(processes), parstep_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  Child::Options o;
  // Under AddressSanitizer (scripts/test's stage 2), LeakSanitizer's exit
  // check needs a tracer thread, which the process limit forbids: it would
  // abort parstep. The limit is the point of the test, so the check is off.
  o.env = {"TMPDIR=/tmp", "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1"};
  Child child(argv, o);
  Result r;
  r.status = child.finish(std::chrono::minutes(3));
  r.out = child.out;
  r.err = child.err;
  return r;
}

bool can_limit_processes() { return geteuid() == 0 && access("/usr/bin/setpriv", X_OK) == 0 &&
         access("/usr/bin/prlimit", X_OK) == 0; }

TEST(NoProcessSlot, StepsWaitForARunningStepToEnd) {
  if (!can_limit_processes()) GTEST_SKIP() << "needs root, setpriv and prlimit to run parstep as a user with few processes";
  std::vector<std::string> args{"-j20", "-o", "ordered", "--no-header"};
  std::string expected;
  for (int i = 0; i < 20; ++i) {
    args.push_back("echo " + std::to_string(i) + "; exec sleep 0.3");  // one process per step
    expected += std::to_string(i) + "\n";
  }
  Result r = run_limited(8, args);
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.out, expected);
  EXPECT_EQ(r.err, "");
}

TEST(NoProcessSlot, WithNothingRunningTheStepFailsWithTheReason) {
  if (!can_limit_processes()) GTEST_SKIP() << "needs root, setpriv and prlimit to run parstep as a user with few processes";
  // parstep takes the only slot (its watchdog cannot be forked either).
  Result r = run_limited(1, {"-j1", "echo never"});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_NE(r.err.find("  echo never: could not start: cannot create a process: Resource temporarily unavailable\n"),
            std::string::npos) << r.err;
}

}  // namespace
}  // namespace parstep::test
