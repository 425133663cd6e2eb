// End to end on a real pseudo-terminal: colour (NO_COLOR, CLICOLOR_FORCE,
// TERM=dumb, --color), what steps are asked for, and queue mode's prompt.
#include <fcntl.h>
#include <pty.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include <regex>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

// The step prints what it was asked for: "FORCE:CLICOLOR_FORCE/FORCE_COLOR NO:NO_COLOR".
const std::string kShowColourEnv = "echo \"FORCE:${CLICOLOR_FORCE-unset}/${FORCE_COLOR-unset} NO:${NO_COLOR-unset}\"";

// Runs parstep with stdout and stderr on one pty in raw mode (no "\n" to
// "\r\n" translation, so every "\r" seen is parstep's own) and returns all
// it wrote there.
std::string run_on_pty(const std::vector<std::string>& args, std::vector<std::string> env) {
  int master = -1, slave = -1;
  EXPECT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  termios raw{};
  tcgetattr(slave, &raw);
  cfmakeraw(&raw);
  tcsetattr(slave, TCSANOW, &raw);
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
