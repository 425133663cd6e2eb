// End to end: what reaches a step's shell and environment, whatever its
// command or name looks like (SPEC 1).
#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

// A command starting with '-' or '+' is a command, never a shell option.
TEST(Commands, StartingWithDashOrPlusReachTheShellAsCommands) {
  for (std::string shell : {"/bin/sh", "dash", "bash"}) {
    Result r = run_parstep({"--shell", shell, "--no-header", "-j1", "--", "-j2 2>/dev/null; echo $?",
                            "+x 2>/dev/null; echo $?", "--version >/dev/null 2>&1; echo $?"});
    EXPECT_EQ(r.exit_code(), 0) << shell << ": " << r.err;
    EXPECT_EQ(r.out, "127\n127\n127\n") << shell;
  }
}

// A name too long for the environment (Linux refuses a string over 128 KiB)
// is given to the step cut to its first 4096 bytes.
TEST(Commands, AOneMebibyteNameStillRunsWithItsStartInTheEnvironment) {
  TempDir dir;
  std::string name(1 << 20, 'n');
  write_file(dir.file("m.json"), R"([{"name": ")" + name + R"(", "shell": "echo ${#PARSTEP_STEP}"}])");
  Result r = run_parstep({"-f", dir.file("m.json"), "--no-header"});
  EXPECT_EQ(r.exit_code(), 0) << r.err.substr(0, 300);
  EXPECT_EQ(r.out, "4096\n");
}

}  // namespace
}  // namespace parstep::test
