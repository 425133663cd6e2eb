// End to end: --timeout, --silent-timeout (hang reports) and --retries.
#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

TEST(Limits, ATimedOutStepIsStoppedAndFails) {
  std::string s = unique_sleep();
  Result r = run_parstep({"--timeout", "0.3", "-j2", "echo started; exec sleep " + s, "echo quick"});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_NE(without_durations(r.out).find("==> echo started; exec sleep " + s + " (FAILED: timed out after 0.3s, T)\nstarted\n"),
            std::string::npos) << r.out;
  EXPECT_EQ(r.err, "parstep: 1 of 2 steps did not succeed:\n  echo started; exec sleep " + s +
                       ": timed out after 0.3s\n    | started\n");
  EXPECT_TRUE(processes_with_argument(s).empty());
}

TEST(Limits, AHungStepGetsAReportNamingItsProcessesThenIsStopped) {
  TempDir dir;
  Fifo pids(dir.file("pids"));
  std::string s = unique_sleep();
  // The step's shell starts a child shell that records its pid, then sleeps.
  std::string step = "echo working; sh -c 'echo $$ > " + pids.path() + "; exec sleep " + s + "'";
  Child c = start_parstep({"--silent-timeout", "0.5", "--kill-after", "0.2", step});
  auto pid = pids.read_line();
  ASSERT_TRUE(pid);
  int status = c.finish();
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_NE(c.err.find("parstep: hung: " + step + ": no output for 0.5s; its processes:\n"), std::string::npos) << c.err;
  // The hung sleep's line: its pid, a state, and its command line.
  std::string row_end = " sleep " + s + "\n";
  auto row = c.err.find(row_end);
  ASSERT_NE(row, std::string::npos) << c.err;
  std::string line = c.err.substr(c.err.rfind('\n', row) + 1, row - c.err.rfind('\n', row));
  EXPECT_NE(line.find(" " + *pid + " "), std::string::npos) << line;
  EXPECT_NE(c.err.find("parstep: the last lines it printed:\n    | working\n"), std::string::npos);
  EXPECT_NE(c.err.find("  " + step + ": hung: no output for 0.5s\n"), std::string::npos);
  EXPECT_TRUE(processes_with_argument(s).empty());
}

TEST(Limits, OutputKeepsAStepFromCountingAsHung) {
  // 1.2 s in all, never more than 0.1 s without output: never hung at 0.5 s.
  Result r = run_parstep({"--silent-timeout", "0.5", "i=0; while [ $i -lt 12 ]; do echo $i; sleep 0.1; i=$((i+1)); done"});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
}

TEST(Limits, RetriesRerunAFailingStepAndPrintOnlyItsLastAttempt) {
  TempDir dir;
  std::string count = dir.file("count");
  std::string step = "n=$(cat " + count + " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + count +
                     "; echo attempt $n; [ $n -ge 3 ]";
  Result r = run_parstep({"--retries", "2", "--report", dir.file("r.json"), step});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(without_durations(r.out), "==> " + step + " (ok, attempt 3 of 3, T)\nattempt 3\n");
  EXPECT_EQ(r.err, "parstep: 1 step succeeded only after retries (flaky):\n  " + step + ": ok at attempt 3\n");
  EXPECT_NE(read_file(dir.file("r.json")).find("\"attempts\": 3"), std::string::npos);
}

TEST(Limits, RetriesGiveUpAfterTheLastAttempt) {
  TempDir dir;
  std::string count = dir.file("count");
  std::string step = "n=$(cat " + count + " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + count +
                     "; echo attempt $n; exit 3";
  Result r = run_parstep({"--retries", "1", "-o", "line", step});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.out, "[" + step + "] attempt 2\n");
  EXPECT_EQ(read_file(count), "2\n");
}

}  // namespace
}  // namespace parstep::test
