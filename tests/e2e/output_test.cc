// End to end: the output modes of SPEC section 2, on the real binary.
#include <fcntl.h>
#include <pty.h>
#include <unistd.h>

#include <random>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

// Each test runs with pipes and with --pty (SPEC 2: the guarantees hold with both).
class Output : public ::testing::TestWithParam<Capture> {
 protected:
  Result run(std::vector<std::string> args, const Child::Options& options = {}) {
    return run_parstep(with_capture(GetParam(), std::move(args)), options);
  }
  Child start(std::vector<std::string> args, const Child::Options& options = {}) {
    return start_parstep(with_capture(GetParam(), std::move(args)), options);
  }
};

TEST_P(Output, GroupBlocksAreWholeAndCarryTheResult) {
  Result r = run({"-j1", "printf abc", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(without_durations(r.out),
            "==> printf abc (ok, T)\n"
            "abc\n"
            "==> echo out; echo err >&2; exit 3 (FAILED: exit 3, T)\n"
            "out\n"
            "err\n");
  EXPECT_EQ(r.err,
            "parstep: 1 of 2 steps did not succeed:\n"
            "  echo out; echo err >&2; exit 3: exit 3\n"
            "    | out\n"
            "    | err\n");
}

TEST_P(Output, GroupBlocksNeverInterleaveUnderLoad) {
  const int steps = 8;
  std::vector<std::string> args{"-j8"};
  std::vector<std::string> expected;
  for (int k = 0; k < steps; ++k) {
    args.push_back("i=0; while [ $i -lt 400 ]; do echo \"step " + std::to_string(k) +
                   " out $i\"; echo \"step " + std::to_string(k) + " err $i\" >&2; i=$((i+1)); done");
    std::string e;
    for (int i = 0; i < 400; ++i) {
      e += "step " + std::to_string(k) + " out " + std::to_string(i) + "\n";
      e += "step " + std::to_string(k) + " err " + std::to_string(i) + "\n";
    }
    expected.push_back(e);
  }
  Result r = run(args);
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  std::string body;
  for (const auto& line : lines_of(r.out))
    if (!line.starts_with("==> ")) body += line + "\n";
  std::size_t total = 0;
  for (const auto& e : expected) {
    EXPECT_NE(r.out.find(e), std::string::npos) << "a block was split or mixed";
    total += e.size();
  }
  EXPECT_EQ(body.size(), total);
}

TEST_P(Output, OrderedNoHeaderIsTheByteExactConcatenation) {
  TempDir dir;
  std::mt19937 random(42);
  std::string binary(3 << 20, '\0');
  for (char& c : binary) c = static_cast<char>(random());
  std::string long_line(5 << 20, 'x');  // no newline at all
  write_file(dir.file("0"), binary);
  write_file(dir.file("1"), long_line);
  write_file(dir.file("2"), "");
  write_file(dir.file("3"), "small\n");
  // Colour on: with --pty and colour off, SGR-like runs in the random bytes would be removed.
  Result r = run({"-j4", "-o", "ordered", "--no-header", "--color", "always",
                       "sleep 0.2; cat " + dir.file("0"), "cat " + dir.file("1"),
                       "cat " + dir.file("2"), "cat " + dir.file("3")});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_TRUE(r.out == binary + long_line + "small\n") << "output differs; size " << r.out.size();
}

TEST_P(Output, OrderedStreamsTheFirstUnfinishedStepLive) {
  TempDir dir;
  Fifo ready(dir.file("ready"));
  make_fifo(dir.file("go0"));
  make_fifo(dir.file("go1"));
  std::string s0 = "echo first; echo > " + ready.path() + "; read x < " + dir.file("go0") + "; echo second";
  std::string s1 = "echo > " + ready.path() + "; read x < " + dir.file("go1") + "; echo other";
  Child c = start({"-j2", "-o", "ordered", s0, s1});
  ASSERT_TRUE(ready.read_line());
  ASSERT_TRUE(ready.read_line());
  EXPECT_TRUE(c.read_stdout_until("first\n")) << "the head step's output was not streamed";
  EXPECT_EQ(c.out.find("==> " + s1), std::string::npos) << "a later block came first";
  release(dir.file("go0"));
  // Step 1 waits on go1, so when step 0 ends step 1 is still running and
  // becomes the live block: its bare header is printed then.
  EXPECT_TRUE(c.read_stdout_until("second\n==> " + s1 + "\n"));
  EXPECT_EQ(c.out.find("\nother\n"), std::string::npos);
  release(dir.file("go1"));
  c.finish();
  // Step 1 was still running when step 0 ended: it became the live block.
  EXPECT_EQ(c.out, "==> " + s0 + "\nfirst\nsecond\n==> " + s1 + "\nother\n");
}

TEST_P(Output, LineModePrefixesWholeLinesAndEndsAnUnterminatedOne) {
  Result r = run({"-j2", "-o", "line", "printf a; sleep 0.1; printf 'b\\nc'",
                       "for i in 1 2 3; do echo x$i; sleep 0.03; done"});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  auto lines = lines_of(r.out);
  std::multiset<std::string> got(lines.begin(), lines.end());
  std::string a = "[printf a; sleep 0.1; printf 'b\\nc'] ";
  std::string b = "[for i in 1 2 3; do echo x$i; sleep 0.03; done] ";
  EXPECT_EQ(got, (std::multiset<std::string>{a + "ab", a + "c", b + "x1", b + "x2", b + "x3"}));
  EXPECT_TRUE(r.out.ends_with("\n"));
}

TEST_P(Output, LineModeKeepsAMultiMegabyteLineWhole) {
  Result r = run({"-o", "line", "head -c 3000000 /dev/zero | tr '\\0' x", "echo short"});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  std::string big = "[head -c 3000000 /dev/zero | tr '\\0' x] " + std::string(3000000, 'x') + "\n";
  EXPECT_NE(r.out.find(big), std::string::npos);
  EXPECT_EQ(r.out.size(), big.size() + std::string("[echo short] short\n").size());
}

TEST_P(Output, OutputOnFailureShowsOnlyFailedStepsOutput) {
  Result r = run({"-j1", "--output-on-failure", "echo good", "echo bad; exit 1"});
  EXPECT_EQ(without_durations(r.out),
            "==> echo good (ok, T)\n==> echo bad; exit 1 (FAILED: exit 1, T)\nbad\n");
  Result lines = run({"-j1", "-o", "line", "--output-on-failure", "echo good", "echo bad; exit 1"});
  EXPECT_EQ(lines.out, "[echo bad; exit 1] bad\n");
}

TEST_P(Output, NoHeaderAddsNothing) {
  Result r = run({"-j1", "--no-header", "printf a", "printf b"});
  EXPECT_EQ(r.out, "ab");
}

TEST_P(Output, AppendsToAFileOpenedForAppend) {
  TempDir dir;
  std::string log = dir.file("build.log");
  write_file(log, "earlier\n");
  int fd = open(log.c_str(), O_WRONLY | O_APPEND);
  Child::Options o;
  o.stdout_fd = fd;
  Result r = run({"-j1", "--no-header", "echo one", "head -c 100000 /dev/zero"}, o);
  close(fd);
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(read_file(log), "earlier\none\n" + std::string(100000, '\0'));
}

TEST_P(Output, WorksOnDevNullAndOnATerminal) {
  Child::Options o;
  o.stdout_fd = open("/dev/null", O_WRONLY);
  EXPECT_EQ(run({"head -c 1000000 /dev/zero"}, o).exit_code(), 0);
  close(o.stdout_fd);

  int master = -1, slave = -1;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  o.stdout_fd = slave;
  Result r = run({"--no-header", "printf on-a-terminal"}, o);
  close(slave);
  char buffer[64];
  ssize_t n = read(master, buffer, sizeof buffer);
  close(master);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(std::string(buffer, n > 0 ? n : 0), "on-a-terminal");
}

INSTANTIATE_TEST_SUITE_P(Capture, Output, ::testing::Values(Capture::pipe, Capture::pty),
                         [](const auto& info) { return capture_name(info.param); });

}  // namespace
}  // namespace parstep::test
