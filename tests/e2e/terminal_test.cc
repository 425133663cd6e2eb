// End to end on a real pseudo-terminal: colour (NO_COLOR, CLICOLOR_FORCE,
// TERM=dumb, --color), what steps are asked for, and queue mode's prompt.
#include <fcntl.h>
#include <pty.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <regex>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

// The step prints what it was asked for: "FORCE:CLICOLOR_FORCE/FORCE_COLOR NO:NO_COLOR".
const std::string kShowColourEnv = "echo \"FORCE:${CLICOLOR_FORCE-unset}/${FORCE_COLOR-unset} NO:${NO_COLOR-unset}\"";

// A pty in raw mode (no "\n" to "\r\n" translation, so every "\r" seen is
// parstep's own), `size` big (default: the kernel's); false when none opens.
bool open_raw_pty(int& master, int& slave, winsize* size = nullptr) {
  if (openpty(&master, &slave, nullptr, nullptr, size) != 0) return false;
  termios raw{};
  tcgetattr(slave, &raw);
  cfmakeraw(&raw);
  tcsetattr(slave, TCSANOW, &raw);
  return true;
}

// Runs parstep with stdout and stderr on one raw pty and returns all it
// wrote there.
std::string run_on_pty(const std::vector<std::string>& args, std::vector<std::string> env) {
  int master = -1, slave = -1;
  EXPECT_TRUE(open_raw_pty(master, slave));
  Child::Options o;
  o.stdout_fd = slave;
  o.stderr_fd = slave;
  o.env = std::move(env);
  Child c = start_parstep(args, o);
  close(slave);
  std::string bytes;
  char buffer[4096];
  for (ssize_t n; (n = read(master, buffer, sizeof buffer)) > 0;) bytes.append(buffer, n);  // EIO once all closed
  close(master);
  c.finish();
  return bytes;
}

bool has_sgr(const std::string& bytes) { return std::regex_search(bytes, std::regex("\033\\[[0-9;]*m")); }

TEST(Terminal, NoColorMeansNoColourFromParstepAndNoneAskedOfSteps) {
  std::string bytes = run_on_pty({"-j1", kShowColourEnv, "exit 3"}, {"NO_COLOR=1", "TERM=xterm"});
  EXPECT_NE(bytes.find("FORCE:unset/unset NO:1\n"), std::string::npos) << bytes;
  EXPECT_NE(bytes.find("==> exit 3 (FAILED: exit 3, "), std::string::npos) << bytes;
  EXPECT_FALSE(has_sgr(bytes)) << bytes;
  // With the progress view off, nothing else either.
  std::string quiet = run_on_pty({"-j1", "--progress", "never", kShowColourEnv, "exit 3"}, {"NO_COLOR=1", "TERM=xterm"});
  EXPECT_EQ(quiet.find('\033'), std::string::npos) << quiet;
  EXPECT_EQ(quiet.find('\r'), std::string::npos) << quiet;
}

TEST(Terminal, ColourOnPaintsFailuresAndAsksStepsForColour) {
  for (auto env : {std::vector<std::string>{"TERM=xterm"}, std::vector<std::string>{"TERM=xterm", "NO_COLOR=", "FORCE_COLOR=0"}}) {
    std::string bytes = run_on_pty({"-j1", "--progress", "never", kShowColourEnv, "exit 3"}, env);
    EXPECT_NE(bytes.find("FORCE:1/1 NO:unset\n"), std::string::npos) << bytes;
    EXPECT_NE(without_durations(bytes).find("\033[31m==> exit 3 (FAILED: exit 3, T)\033[0m\n"), std::string::npos) << bytes;
    EXPECT_NE(bytes.find("\033[31m  exit 3: exit 3\033[0m\n"), std::string::npos) << bytes;
  }
  // --color always wins over NO_COLOR.
  std::string forced = run_on_pty({"-j1", "--color", "always", "--progress", "never", kShowColourEnv}, {"NO_COLOR=1"});
  EXPECT_NE(forced.find("FORCE:1/1 NO:unset\n"), std::string::npos) << forced;
}

TEST(Terminal, DumbTerminalsGetNoCarriageReturnOrEscape) {
  std::string bytes = run_on_pty({"-j2", "sleep 0.3; echo a", "exit 1"}, {"TERM=dumb"});
  EXPECT_EQ(bytes.find('\033'), std::string::npos) << bytes;
  EXPECT_EQ(bytes.find('\r'), std::string::npos) << bytes;
  EXPECT_NE(bytes.find("==> exit 1 (FAILED"), std::string::npos) << bytes;
}

TEST(Terminal, NonTerminalsGetNoCarriageReturnOrEscapeEvenWhenForced) {
  Child::Options o;
  o.env = {"TERM=xterm"};
  Result r = run_parstep({"--progress", "always", "sleep 0.3; echo a", "exit 1"}, o);
  EXPECT_EQ((r.out + r.err).find_first_of("\r\033"), std::string::npos) << r.out << r.err;
}

TEST(Terminal, TheLiveViewShowsEachRunningStepAndIsErasedBeforeEveryBlock) {
  TempDir dir;
  Fifo both(dir.file("both"));
  make_fifo(dir.file("go1"));
  make_fifo(dir.file("go2"));
  int master = -1, slave = -1;
  winsize size{};
  size.ws_row = 30;
  size.ws_col = 60;
  ASSERT_TRUE(open_raw_pty(master, slave, &size));
  Child::Options o;
  o.stdout_fd = slave;
  o.stderr_fd = slave;
  o.env = {"TERM=xterm"};
  std::string wait = "echo > " + both.path() + "; read x < " + dir.file("go");
  Child c = start_parstep({"-j2", "--color", "never", wait + "1; echo first", wait + "2; echo second"}, o);
  close(slave);
  ASSERT_TRUE(both.read_line());
  ASSERT_TRUE(both.read_line());
  // Read until the view shows both steps, then let them end.
  std::string bytes;
  char buffer[4096];
  auto shows_both = [&] {
    return bytes.find("[0/2] running:\n  " + wait.substr(0, 20)) != std::string::npos &&
           bytes.rfind("\n  ") != bytes.find("\n  ");
  };
  while (!shows_both()) {
    ssize_t n = read(master, buffer, sizeof buffer);
    ASSERT_GT(n, 0) << bytes;
    bytes.append(buffer, n);
  }
  release(dir.file("go1"));
  release(dir.file("go2"));
  for (ssize_t n; (n = read(master, buffer, sizeof buffer)) > 0;) bytes.append(buffer, n);
  close(master);
  c.finish();
  for (std::size_t at = 0; (at = bytes.find('\n', at)) != std::string::npos; ++at) {
    std::size_t begin = bytes.rfind('\n', at - 1);
    std::size_t line_start = begin == std::string::npos ? 0 : begin + 1;
    std::string line = bytes.substr(line_start, at - line_start);
    std::size_t cleared = line.rfind("\033[K");
    if (cleared != std::string::npos) line = line.substr(cleared + 3);
    if (line.starts_with("  ") || line.starts_with("[")) {
      EXPECT_LE(line.size(), 60u) << line;  // no view line wraps
    }
  }
  // Both blocks, and nothing of the view left on the screen.
  std::string text = without_durations(bytes);
  EXPECT_NE(text.find("==> " + wait + "1; echo first (ok, T)\nfirst\n"), std::string::npos) << text;
  EXPECT_NE(text.find("==> " + wait + "2; echo second (ok, T)\nsecond\n"), std::string::npos) << text;
  // The three-line view is erased (up two lines) right before the first
  // block, and nothing of it comes after the last one.
  std::size_t first = bytes.find("==> ");
  ASSERT_GE(first, 16u);
  EXPECT_EQ(bytes.substr(first - 16, 16), "\r\033[K\033[A\033[K\033[A\033[K") << bytes;
  EXPECT_LT(bytes.rfind("running:"), bytes.rfind("==> "));
}

// Off a terminal in CI (--progress auto): one plain line after a minute of
// silence while a step runs. Takes 65 s of wall time (sleeping).
TEST(Terminal, HeartbeatsOffATerminalInCi) {
  Child::Options o;
  o.env = {"GITHUB_ACTIONS=true", "TERM=xterm"};
  Child c = start_parstep({"--no-header", "sleep 65"}, o);
  int status = c.finish(std::chrono::minutes(3));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_TRUE(std::regex_match(c.err, std::regex("parstep: still running \\(0 of 1 done\\): sleep 65 \\(1m0[0-9]s\\)\n")))
      << c.err;
}

TEST(Terminal, QueueModeOnATerminalSaysHowToEndTheInput) {
  int master = -1, slave = -1;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  std::string tty = ttyname(slave);
  Child c({"/bin/sh", "-c", "exec " + parstep_path() + " --no-header < " + tty}, {});
  ASSERT_EQ(write(master, "echo from-the-terminal\n\x04", 24), 24);  // canonical mode: ^D ends the input
  c.finish();
  close(slave);
  close(master);
  EXPECT_EQ(c.out, "from-the-terminal\n");
  EXPECT_EQ(c.err, "parstep: reading steps from the terminal, one per line; end the input with Ctrl-D\n");
}

}  // namespace
}  // namespace parstep::test
