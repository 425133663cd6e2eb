// End to end: --pty (SPEC 2). What a step sees, that the bytes arrive
// exactly, SGR removal when colour is off, and the fallback to a pipe.
// The guarantees shared with pipes (ordering, no interleaving, drops) are
// the Capture/Output and Capture/Dropped tests.
#include <dirent.h>
#include <fcntl.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

// The one file in `dir` (a --log-dir with one step).
std::string only_file_in(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  for (dirent* e; d != nullptr && (e = readdir(d)) != nullptr;)
    if (e->d_name[0] != '.') names.push_back(dir + "/" + e->d_name);
  if (d != nullptr) closedir(d);
  return names.size() == 1 ? names[0] : "";
}

// Everything written to a pty's slave until every slave descriptor is closed.
std::string read_to_end(int master) {
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = read(master, buffer, sizeof buffer)) > 0;) text.append(buffer, n);
  return text;
}

TEST(Pty, StepsSeeATerminalOnStdoutAndStderrAndStdinStaysNull) {
  std::string probe = "[ -t 1 ] && [ -t 2 ] && [ ! -t 0 ] && echo terminal; read x; echo \"stdin $?\"";
  Result r = run_parstep({"--pty", "--no-header", probe});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.out, "terminal\nstdin 1\n");  // raw: no \r added
  EXPECT_EQ(run_parstep({"--no-header", probe}).out, "stdin 1\n");
}

TEST(Pty, LsColoursOnItsOwnAndColourOffRemovesIt) {
  Result on = run_parstep({"--pty", "--no-header", "--color", "always", "ls --color=auto -d /"});
  EXPECT_NE(on.out.find("\x1b["), std::string::npos) << on.out;
  EXPECT_TRUE(on.out.ends_with("/\x1b[0m\n")) << on.out;
  EXPECT_EQ(run_parstep({"--no-header", "--color", "always", "ls --color=auto -d /"}).out, "/\n");
  EXPECT_EQ(run_parstep({"--pty", "--no-header", "--color", "never", "ls --color=auto -d /"}).out, "/\n");
}

TEST(Pty, TheWindowSizeIsParstepsTerminalsElse80x24) {
  EXPECT_EQ(run_parstep({"--pty", "--no-header", "stty size <&1"}).out, "24 80\n");
  int master = -1, slave = -1;
  winsize size{.ws_row = 41, .ws_col = 123, .ws_xpixel = 0, .ws_ypixel = 0};
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, &size), 0);
  Child::Options o;
  o.stdout_fd = slave;
  Result r = run_parstep({"--pty", "--no-header", "stty size <&1"}, o);
  close(slave);
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(read_to_end(master), "41 123\r\n");  // the \r is the test's own terminal's
  close(master);
}

// Raw mode: all 256 byte values, including \r, \n, ^C, ^D, ^Z, ^S and ^Q,
// reach stdout (colour on: nothing removed) and the log (colour off) as written.
TEST(Pty, SixtyFourMebibytesOfEveryByteValueArriveExactly) {
  TempDir dir;
  std::string data(64 << 20, '\0');
  std::mt19937 random(7);
  for (char& c : data) c = static_cast<char>(random());
  for (int c = 0; c < 256; ++c) data[c] = static_cast<char>(c);
  write_file(dir.file("data"), data);
  Result r = run_parstep({"--pty", "--no-header", "--color", "always", "cat " + dir.file("data")});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_TRUE(r.out == data) << "stdout differs; size " << r.out.size();

  Child::Options o;
  o.stdout_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  Result logged = run_parstep({"--pty", "--color", "never", "--log-dir", dir.file("logs"), "cat " + dir.file("data")}, o);
  close(o.stdout_fd);
  EXPECT_EQ(logged.exit_code(), 0) << logged.err;
  EXPECT_TRUE(read_file(only_file_in(dir.file("logs"))) == data) << "the log differs";
}

TEST(Pty, ColourOffRemovesSgrFromWhatIsPrintedButTheLogKeepsIt) {
  TempDir dir;
  std::string step = "printf '\\033[1;31mred\\033[0m plain\\033[K\\n\\033[32mlast\\033[0m'; exit 1";
  Result r = run_parstep({"--pty", "--color", "never", "--log-dir", dir.file("logs"), step});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(without_durations(r.out), "==> " + step + " (FAILED: exit 1, T)\nred plain\x1b[K\nlast\n");
  EXPECT_NE(r.err.find("    | red plain\x1b[K\n    | last\n"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(only_file_in(dir.file("logs"))), "\x1b[1;31mred\x1b[0m plain\x1b[K\n\x1b[32mlast\x1b[0m");

  Result lines = run_parstep({"--pty", "--color", "never", "-o", "line", "printf '\\033[32mgreen\\033[0m\\ncut\\033'"});
  EXPECT_EQ(lines.out, "[printf '\\033[32mgreen\\033[0m\\ncut\\033'] green\n[printf '\\033[32mgreen\\033[0m\\ncut\\033'] cut\x1b\n");
}

// Steps that end at once after writing: nothing left in the pty is lost.
TEST(Pty, EveryByteOfStepsThatEndAtOnceArrives) {
  std::vector<std::string> args{"--pty", "-j8", "-o", "ordered", "--no-header"};
  std::string expected;
  for (int i = 0; i < 64; ++i) {
    args.push_back("head -c " + std::to_string(1000 * i) + " /dev/zero | tr '\\0' k; echo " + std::to_string(i));
    expected += std::string(1000 * i, 'k') + std::to_string(i) + "\n";
  }
  Result r = run_parstep(args);
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_TRUE(r.out == expected) << "output differs; size " << r.out.size() << " of " << expected.size();
}

// Three steps run at once (each waits for the test); each sees only 0, 1
// and 2 (and ls's own directory descriptor): no other step's pty.
TEST(Pty, NoStepInheritsAnotherStepsPty) {
  TempDir dir;
  Fifo ready(dir.file("ready"));
  std::vector<std::string> args{"--pty", "-j3", "--no-header"};
  for (int i = 0; i < 3; ++i) {
    make_fifo(dir.file("go" + std::to_string(i)));
    args.push_back("echo > " + ready.path() + "; read x < " + dir.file("go" + std::to_string(i)) + "; ls -1 /proc/self/fd");
  }
  Child c = start_parstep(args);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(ready.read_line());
  for (int i = 0; i < 3; ++i) release(dir.file("go" + std::to_string(i)));
  c.finish();
  EXPECT_EQ(c.out, "0\n1\n2\n3\n0\n1\n2\n3\n0\n1\n2\n3\n");
}

// Runs `script` as root in a mount namespace of its own (where /dev/ptmx or
// /dev/pts can be changed for parstep alone), with parstep's path as $0.
// nullopt when that cannot be had here.
std::optional<Result> in_mount_namespace(const std::string& script, const std::vector<std::string>& args) {
  if (geteuid() != 0) return std::nullopt;
  if (run_parstep({"--no-header", "unshare -m true && echo yes"}).out != "yes\n") return std::nullopt;
  std::vector<std::string> argv{"/usr/bin/env", "unshare", "-m", "sh", "-ec", script + "; exec \"$0\" \"$@\"", parstep_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  Child c(argv, {});
  return finish(c);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(Pty, WithoutPtysStepsWriteToPipesAndParstepWarnsOnce) {
  std::string probe = "[ -t 1 ] && echo terminal || echo pipe";
  auto r = in_mount_namespace("mount --bind /dev/null /dev/ptmx", {"--pty", "-j2", "--no-header", probe, probe, probe});
  if (!r) GTEST_SKIP() << "needs root and unshare -m to hide /dev/ptmx from parstep alone";
  EXPECT_EQ(r->exit_code(), 0) << r->err;
  EXPECT_EQ(r->out, "pipe\npipe\npipe\n");
  EXPECT_TRUE(r->err.starts_with("parstep: warning: --pty: no pseudo-terminal to be had (")) << r->err;
  EXPECT_TRUE(r->err.ends_with("): steps without one write to a pipe\n")) << r->err;
  EXPECT_EQ(count(r->err, "\n"), 1u) << r->err;
}

// A devpts instance of its own that holds 2 ptys: of 4 steps running at
// once, 2 get one and 2 a pipe, with one warning.
TEST(Pty, BeyondThePtyLimitStepsWriteToPipes) {
  TempDir dir;
  Fifo ready(dir.file("ready"));
  std::vector<std::string> steps;
  for (int i = 0; i < 4; ++i) {
    make_fifo(dir.file("go" + std::to_string(i)));
    steps.push_back("echo > " + ready.path() + "; read x < " + dir.file("go" + std::to_string(i)) +
                    "; [ -t 1 ] && echo terminal || echo pipe");
  }
  std::string script = "mount -t devpts -o newinstance,max=2,ptmxmode=0666 devpts /dev/pts; "
                       "mount --bind /dev/pts/ptmx /dev/ptmx";
  if (geteuid() != 0 || run_parstep({"--no-header", "unshare -m true && echo yes"}).out != "yes\n")
    GTEST_SKIP() << "needs root and unshare -m to give parstep a pty limit of its own";
  std::vector<std::string> argv{"/usr/bin/env", "unshare", "-m", "sh", "-ec", script + "; exec \"$0\" \"$@\"", parstep_path(),
                                "--pty", "-j4", "--no-header"};
  argv.insert(argv.end(), steps.begin(), steps.end());
  Child c(argv, {});
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(ready.read_line());
  for (int i = 0; i < 4; ++i) release(dir.file("go" + std::to_string(i)));
  int status = c.finish();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << c.err;
  auto lines = lines_of(c.out);
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, (std::vector<std::string>{"pipe", "pipe", "terminal", "terminal"}));
  EXPECT_TRUE(c.err.starts_with("parstep: warning: --pty: no pseudo-terminal to be had (")) << c.err;
  EXPECT_EQ(count(c.err, "\n"), 1u) << c.err;
}

}  // namespace
}  // namespace parstep::test
