#include "plain_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep {
namespace {

using test::TempDir;
using test::write_file;
using Words = std::vector<std::string>;

TEST(PlainWords, SplitsAtBlanksWhenThereIsNoShellSyntax) {
  EXPECT_EQ(plain_words("true"), (Words{"true"}));
  EXPECT_EQ(plain_words("  make\t-C  lib/a all  "), (Words{"make", "-C", "lib/a", "all"}));
  EXPECT_EQ(plain_words("cc -O2 -DX=1 -o out/a.o a.c"), (Words{"cc", "-O2", "-DX=1", "-o", "out/a.o", "a.c"}));
  EXPECT_EQ(plain_words("./gen_protos.sh --out=gen,x:y+z@1%"), (Words{"./gen_protos.sh", "--out=gen,x:y+z@1%"}));
  EXPECT_EQ(plain_words("false"), (Words{"false"}));
}

TEST(PlainWords, AnyShellSyntaxNeedsTheShell) {
  for (const char* command :
       {"echo 'a b'", "echo \"a\"", "echo $HOME", "ls *.c", "ls a?", "ls [ab]", "a > f", "a < f", "a; b", "a && b",
        "a | b", "a &", "echo a\\ b", "ls ~", "a # comment", "X=1 make", "a\nb", "(a)", "a `b`", "echo {a,b}",
        "a!", "caf\xc3\xa9", "", "   ", "a^b"}) {
    EXPECT_EQ(plain_words(command), std::nullopt) << command;
  }
}

TEST(PlainWords, BuiltinsAndReservedWordsNeedTheShell) {
  for (const char* command : {"cd /tmp", "echo hi", "exit 3", "export A", "test -n x", "[ -n x ]", "if", "for",
                              "kill 1", "printf x", "pwd", "exec ls", "command ls", "true --help", "false --version",
                              "while", ". x", ": x", "type ls", "ulimit -n", "umask", "wait", "read x", "set -e"}) {
    EXPECT_EQ(plain_words(command), std::nullopt) << command;
  }
}

class Programs : public testing::Test {
 protected:
  void SetUp() override {
    mkdir(dir.file("bin").c_str(), 0755);
    mkdir(dir.file("other").c_str(), 0755);
    make(dir.file("bin/tool"), "#!/bin/sh\n", 0755);
    make(dir.file("bin/noshebang"), "echo hi\n", 0755);
    make(dir.file("bin/data"), "#!/bin/sh\n", 0644);
    make(dir.file("other/data"), "#!/bin/sh\n", 0755);
  }
  static void make(const std::string& path, const std::string& text, mode_t mode) {
    write_file(path, text);
    chmod(path.c_str(), mode);
  }
  TempDir dir;
  DirectStarts starts;
};

TEST_F(Programs, FoundAlongThePathLikeShDoes) {
  std::string path = dir.file("bin") + ":" + dir.file("other");
  EXPECT_EQ(find_program("tool", path, ""), dir.file("bin/tool"));
  EXPECT_EQ(find_program("data", path, ""), dir.file("other/data"));  // skips the unexecutable one
  EXPECT_EQ(find_program("missing", path, ""), std::nullopt);  // sh says "not found"
  EXPECT_EQ(find_program("noshebang", path, ""), std::nullopt);  // sh runs it as a script
  EXPECT_EQ(find_program("bin", path, ""), std::nullopt);        // a directory
  EXPECT_EQ(find_program("tool", "bin", dir.path()), "bin/tool");  // relative to the step's cwd
  EXPECT_EQ(find_program("tool", ":x", dir.file("bin")), "./tool");  // empty entry: the working directory
  EXPECT_EQ(find_program("./bin/tool", "", dir.path()), "./bin/tool");
  EXPECT_EQ(find_program("sh", "/usr/bin%builtin:/bin", ""), std::nullopt);
  EXPECT_EQ(find_program("true", "/usr/bin:/bin", ""), "/usr/bin/true");
}

TEST_F(Programs, ADirectStartSetsProgramArgumentsAndPwd) {
  SpawnRequest request;
  request.env = {"PATH=" + dir.file("bin"), "PWD=/somewhere/else", "A=1"};
  request.cwd = dir.path();
  ASSERT_TRUE(starts.start_without_shell("tool  x y", request));
  EXPECT_EQ(request.program, dir.file("bin/tool"));
  EXPECT_EQ(request.argv, (Words{"tool", "x", "y"}));
  char real[4096];
  ASSERT_NE(realpath(dir.path().c_str(), real), nullptr);
  EXPECT_EQ(request.env, (Words{"PATH=" + dir.file("bin"), std::string("PWD=") + real, "A=1"}));
}

TEST_F(Programs, InParstepsOwnDirectoryPwdIsWorkedOutOncePerInheritedValue) {
  char here[4096];
  ASSERT_NE(getcwd(here, sizeof here), nullptr);
  std::string link = dir.file("here");
  ASSERT_EQ(symlink(here, link.c_str()), 0);
  for (int twice = 0; twice < 2; ++twice) {
    for (const auto& [inherited, expected] : {std::pair{link, link}, std::pair{std::string("/nonexistent"), std::string(here)}}) {
      SpawnRequest request;
      request.env = {"PATH=" + dir.file("bin"), "PWD=" + inherited};
      ASSERT_TRUE(starts.start_without_shell("tool", request));
      EXPECT_EQ(request.env.back(), "PWD=" + expected);
    }
  }
}

TEST_F(Programs, TheShellStaysWhenItIsNeeded) {
  SpawnRequest request;
  request.env = {"PATH=" + dir.file("bin")};
  for (const char* command : {"tool > x", "missing", "noshebang", "echo x"}) {
    EXPECT_FALSE(starts.start_without_shell(command, request)) << command;
    EXPECT_TRUE(request.program.empty());
    EXPECT_TRUE(request.argv.empty());
  }
  request.env = {"A=1"};  // no PATH: sh would search its own default
  EXPECT_FALSE(starts.start_without_shell("tool", request));
}

}  // namespace
}  // namespace parstep
