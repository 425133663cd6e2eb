// End to end: shell steps without shell syntax run without the shell, and
// nobody can tell (SPEC 1): same output, exit status and environment as
// through `sh -c`, which `--shell /bin/sh` forces.
#include <sys/stat.h>

#include <algorithm>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

struct Compared {
  std::string command;
  int exit_code;  ///< parstep's, which says whether the step failed
};

class DirectOrShell : public testing::TestWithParam<Compared> {};

// parstep with `args` and PATH set to `path` (through env, which replaces
// PATH: Child::Options::env would add a second one).
Result run_with_path(const std::string& path, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/env", "PATH=" + path, parstep_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  Child c(argv, {});
  return finish(c);
}

TEST_P(DirectOrShell, PrintTheSameBytesAndEndTheSame) {
  TempDir dir;
  write_file(dir.file("script"), "#!/bin/sh\necho script $# \"$@\"\n");
  chmod(dir.file("script").c_str(), 0755);
  write_file(dir.file("noexec"), "#!/bin/sh\necho never\n");
  write_file(dir.file("bare"), "echo bare script\n");  // no #!: sh runs it itself
  chmod(dir.file("bare").c_str(), 0755);
  std::vector<std::string> common = {"--no-header", "--report", dir.file("r.json"), "--log-dir", dir.file("logs")};
  auto run = [&](bool shell) {
    std::vector<std::string> args = common;
    if (shell) args.insert(args.end(), {"--shell", "/bin/sh"});
    args.push_back("--");
    args.push_back(GetParam().command);
    return run_with_path(dir.path() + ":/usr/bin:/bin", args);
  };
  Result direct = run(false);
  Result shell = run(true);
  EXPECT_EQ(direct.exit_code(), GetParam().exit_code) << direct.out << direct.err;
  EXPECT_EQ(direct.out, shell.out);
  EXPECT_EQ(direct.exit_code(), shell.exit_code());
  EXPECT_EQ(direct.err, shell.err);
}

INSTANTIATE_TEST_SUITE_P(
    Table, DirectOrShell,
    testing::Values(Compared{"true", 0}, Compared{"false", 1}, Compared{"true --version", 0},
                    Compared{"cat /proc/self/cmdline", 0}, Compared{"printenv PARSTEP_INDEX PARSTEP_STEP", 0},
                    Compared{"printenv PWD", 0}, Compared{"printenv PATH", 0}, Compared{"ls /nonexistent-dir", 1},
                    Compared{"parstep-no-such-command", 1}, Compared{"parstep-no-such-command with args", 1},
                    Compared{"/nonexistent/program", 1}, Compared{"script a  b\tc", 0}, Compared{"noexec", 1},
                    Compared{"bare", 0}, Compared{"/etc/passwd", 1}, Compared{"expr 6 + 7", 0},
                    Compared{"expr 1 + 2 = 3", 0}, Compared{"sh -c exit", 0}, Compared{"env -u PWD printenv HOME", 0},
                    Compared{"sh -c printenv", 0}));

TEST(DirectOrShell, TheEnvironmentIsTheSameButForItsOrder) {
  TempDir dir;
  Result direct = run_parstep({"--no-header", "env"});
  Result shell = run_parstep({"--no-header", "--shell", "/bin/sh", "env"});
  auto sorted_lines = [](const std::string& text) {
    std::vector<std::string> lines;
    for (std::size_t from = 0, to; (to = text.find('\n', from)) != std::string::npos; from = to + 1)
      lines.push_back(text.substr(from, to - from));
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  EXPECT_EQ(sorted_lines(direct.out), sorted_lines(shell.out));
}

// The programs a run has found are remembered, but a step sees what sh would
// see at that moment: here each step changes what the next one finds.
TEST(DirectOrShell, AProgramMadeOrRemovedMidRunIsFoundLikeShFindsIt) {
  TempDir dir;
  mkdir(dir.file("early").c_str(), 0755);
  mkdir(dir.file("late").c_str(), 0755);
  write_file(dir.file("late/tool"), "#!/bin/sh\necho late\n");
  chmod(dir.file("late/tool").c_str(), 0755);
  write_file(dir.file("early.sh"), "#!/bin/sh\necho early\n");
  std::string early = dir.file("early/tool");
  std::string make_early = "cp " + dir.file("early.sh") + " " + early + " && chmod +x " + early;
  auto run = [&](std::vector<std::string> shell) {
    write_file(dir.file("late/tool"), "#!/bin/sh\necho late\n");
    chmod(dir.file("late/tool").c_str(), 0755);
    std::vector<std::string> args = {"-j1", "--no-header", "--output", "ordered"};
    args.insert(args.end(), shell.begin(), shell.end());
    args.insert(args.end(), {"--", "tool", "tool", make_early, "tool", "rm " + early, "tool",
                             "chmod -x " + dir.file("late/tool"), "tool"});
    return run_with_path(dir.file("early") + ":" + dir.file("late") + ":/usr/bin:/bin", args);
  };
  Result direct = run({});
  Result shell = run({"--shell", "/bin/sh"});
  EXPECT_EQ(direct.exit_code(), 1) << direct.err;  // the last one finds no program it can run
  EXPECT_TRUE(direct.out.starts_with("late\nlate\nearly\nlate\n")) << direct.out;
  EXPECT_EQ(direct.out, shell.out);
  EXPECT_EQ(direct.err, shell.err);
}

}  // namespace
}  // namespace parstep::test
