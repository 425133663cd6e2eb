// End to end: --launcher and the manifest's launcher (SPEC 9), through a fake
// launcher script that records its argv and then runs the rest, as srun does.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "test_util.h"

namespace parstep::test {
namespace {

// A launcher that appends its argv (each word NUL-terminated, then a
// newline) to `log`, and runs the rest as its child. On SIGTERM it writes
// "TERM" to `log` and stops the child, as srun cancels its job.
std::string make_launcher(const TempDir& dir, const std::string& log) {
  std::string path = dir.file("launch");
  write_file(path, "#!/bin/sh\n"
                   "printf '%s\\0' \"$@\" >> '" + log + "'\n"
                   "echo >> '" + log + "'\n"
                   // Its own job-control noise ("Terminated") goes nowhere;
                   // the command's stderr is kept (descriptor 3).
                   "exec 3>&2 2>/dev/null\n"
                   "trap 'echo TERM >> \"" + log + "\"; kill $child; exit 143' TERM\n"
                   "while [ \"$1\" != -- ]; do shift; done; shift\n"
                   "\"$@\" 2>&3 3>&- &\n"
                   "child=$!\n"
                   "wait $child\n");
  chmod(path.c_str(), 0755);
  return path;
}

TEST(Launcher, ArgvAndShellStepsReachItByteExact) {
  TempDir dir;
  std::string log = dir.file("log");
  std::string launcher = make_launcher(dir, log);
  std::string m = dir.file("m.json");
  write_file(m, R"({"output": "ordered", "steps": [
    {"argv": ["printf", "<%s>\n", "a b", "\"q\" 'q'", "$HOME", "*", "back\\slash", "new\nline", ""]},
    {"name": "sh", "shell": "printf '<%s>\\n' \"$PARSTEP_STEP\" '$HOME' \"a  b\" \\\\"}
  ]})");
  Result r = run_parstep({"-f", m, "-j1", "--no-header", "--launcher", launcher + " --opt 'x y' --"});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.out, "<a b>\n<\"q\" 'q'>\n<$HOME>\n<*>\n<back\\slash>\n<new\nline>\n<>\n"
                   "<sh>\n<$HOME>\n<a  b>\n<\\>\n");
  using namespace std::string_literals;
  EXPECT_EQ(read_file(log), "--opt\0x y\0--\0printf\0<%s>\n\0a b\0\"q\" 'q'\0$HOME\0*\0back\\slash\0new\nline\0\0\n"
                            "--opt\0x y\0--\0/bin/sh\0-c\0printf '<%s>\\n' \"$PARSTEP_STEP\" '$HOME' \"a  b\" \\\\\0\n"s);
}

TEST(Launcher, AStepCanRunLocallyAndTheCommandLineOverridesTheManifest) {
  TempDir dir;
  std::string log = dir.file("log");
  std::string launcher = make_launcher(dir, log);
  std::string m = dir.file("m.json");
  write_file(m, R"({"launcher": [")" + launcher + R"(", "--"], "steps": [
    "echo remote", {"shell": "echo local", "launcher": []}]})");
  Result r = run_parstep({"-f", m, "-j1", "--no-header"});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.out, "remote\nlocal\n");
  using namespace std::string_literals;
  EXPECT_EQ(read_file(log), "--\0/bin/sh\0-c\0echo remote\0\n"s);
  Result over = run_parstep({"-f", m, "-j1", "--no-header", "--launcher", "env X=1", "--shell", "/bin/bash"});
  EXPECT_EQ(over.out, "remote\nlocal\n");
  EXPECT_EQ(read_file(log), "--\0/bin/sh\0-c\0echo remote\0\n"s);  // env ran both, not the script
}

TEST(Launcher, ItsExitStatusIsTheStepsAndRetriesRunItAgain) {
  TempDir dir;
  std::string log = dir.file("log");
  std::string launcher = make_launcher(dir, log);
  std::string failing = dir.file("failing");
  write_file(failing, "#!/bin/sh\necho 'launcher: error: no nodes' >&2\nexit 7\n");
  chmod(failing.c_str(), 0755);
  Result r = run_parstep({"--launcher", failing, "--retries", "1", "echo never"});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(without_durations(r.out), "==> echo never (FAILED: exit 7, attempt 2 of 2, T)\nlauncher: error: no nodes\n");
  Result three = run_parstep({"--launcher", launcher + " --", "--no-header", "-j1", "echo a; exit 3", "exit 0"});
  EXPECT_EQ(three.exit_code(), 1);
  EXPECT_EQ(three.err, "parstep: 1 of 2 steps did not succeed:\n  echo a; exit 3: exit 3\n    | a\n");
}

TEST(Launcher, OneThatDoesNotExistMakesEachStepFailToStart) {
  Result r = run_parstep({"--launcher", "parstep-no-such-launcher -x", "-j1", "true", "echo b"});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.err, "parstep: 2 of 2 steps did not succeed:\n"
                   "  true: could not start: parstep-no-such-launcher: No such file or directory\n"
                   "  echo b: could not start: parstep-no-such-launcher: No such file or directory\n");
}

TEST(Launcher, AnEmptyOrBadlyQuotedOneIsAUsageError) {
  TempDir dir;
  std::string marker = dir.file("ran");
  for (auto [value, message] : {std::pair<std::string, std::string>{"", "expected a command, got ''"},
                                {"  ", "expected a command, got '  '"},
                                {"''", "expected a command, got ''''"},
                                {"srun 'x", "unterminated ' quote in 'srun 'x'"}}) {
    Result r = run_parstep({"--launcher", value, "touch " + marker});
    EXPECT_EQ(r.exit_code(), 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "parstep: error: --launcher: " + message + "\n");
  }
  struct stat st;
  EXPECT_NE(stat(marker.c_str(), &st), 0);
}

TEST(Launcher, DryRunShowsTheWholeCommandLine) {
  Child::Options o;
  o.stdin_data = R"({"launcher": ["srun", "--quiet", "--"], "steps": [
    "echo 'a b'", {"argv": ["printf", "%s", "x y"]}, {"shell": "true", "launcher": []}]})";
  Result r = run_parstep({"-f", "-", "-n"}, o);
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.out, "==> echo 'a b'\n    srun --quiet -- /bin/sh -c 'echo '\\''a b'\\'''\n"
                   "==> printf %s x y\n    srun --quiet -- printf %s 'x y'\n"
                   "==> true\n    true\n");
}

TEST(Launcher, HaltStopsTheLauncherAndWhatItRuns) {
  TempDir dir;
  std::string log = dir.file("log");
  std::string launcher = make_launcher(dir, log);
  make_fifo(dir.file("ready"));
  std::string s = unique_sleep();
  Result r = run_parstep({"-j2", "-x", "--no-header", "--launcher", launcher + " --",
                          "echo > " + dir.file("ready") + "; exec sleep " + s,
                          "read x < " + dir.file("ready") + "; echo failing; exit 4"});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.out, "failing\n");
  EXPECT_NE(read_file(log).find("\nTERM\n"), std::string::npos) << read_file(log);
  EXPECT_TRUE(processes_with_argument(s).empty());
}

TEST(Launcher, TimeoutStopsTheLauncher) {
  TempDir dir;
  std::string log = dir.file("log");
  std::string launcher = make_launcher(dir, log);
  std::string s = unique_sleep();
  // 2 s, not less: the launcher must have set its TERM trap before the
  // limit comes, also on a loaded machine.
  Result r = run_parstep({"--timeout", "2", "--launcher", launcher + " --", "exec sleep " + s});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.err, "parstep: 1 of 1 step did not succeed:\n  exec sleep " + s + ": timed out after 2s\n");
  EXPECT_NE(read_file(log).find("\nTERM\n"), std::string::npos) << read_file(log);
  EXPECT_TRUE(processes_with_argument(s).empty());
}

TEST(Launcher, AHangReportShowsTheLocalLauncherProcess) {
  TempDir dir;
  std::string launcher = make_launcher(dir, dir.file("log"));
  std::string s = unique_sleep();
  Result r = run_parstep({"--silent-timeout", "0.5", "--kill-after", "0.2", "--launcher", launcher + " --",
                          "exec sleep " + s});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_NE(r.err.find("parstep: hung: exec sleep " + s + ": no output for 0.5s; its processes:\n"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(" /bin/sh " + launcher + " -- /bin/sh -c exec sleep " + s + "\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" sleep " + s + "\n"), std::string::npos) << r.err;
  EXPECT_TRUE(processes_with_argument(s).empty());
}

}  // namespace
}  // namespace parstep::test
