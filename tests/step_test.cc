#include "step.h"

#include <gtest/gtest.h>

#include "summary.h"

namespace parstep {
namespace {

TEST(ShellQuote, LeavesPlainWordsAndQuotesTheRest) {
  EXPECT_EQ(shell_quote("a-b_c/d.e=f"), "a-b_c/d.e=f");
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's $x"), "'it'\\''s $x'");
}

TEST(StepSpec, ExecutesAnOptionLikeCommandAfterDoubleDash) {
  StepSpec s;
  s.command = "echo hi";
  EXPECT_EQ(s.command_line("/bin/sh"), (std::vector<std::string>{"/bin/sh", "-c", "echo hi"}));
  s.command = "-j2";
  EXPECT_EQ(s.command_line("bash"), (std::vector<std::string>{"bash", "-c", "--", "-j2"}));
  s.command = "+x";
  EXPECT_EQ(s.command_line("sh"), (std::vector<std::string>{"sh", "-c", "--", "+x"}));
  s.argv = {"-weird", "x"};
  EXPECT_EQ(s.command_line("sh"), (std::vector<std::string>{"-weird", "x"}));
}

TEST(StepSpec, EnvironmentGetsAtMostKEnvNameMaxBytesOfTheName) {
  EXPECT_EQ(env_step_name("build"), "build");
  EXPECT_EQ(env_step_name(std::string(kEnvNameMax, 'x')), std::string(kEnvNameMax, 'x'));
  EXPECT_EQ(env_step_name(std::string(1 << 20, 'x')), std::string(kEnvNameMax, 'x'));
  // "é" is two bytes: one straddling the limit is left out whole.
  std::string name = std::string(kEnvNameMax - 1, 'x') + "\xc3\xa9" + "tail";
  EXPECT_EQ(env_step_name(name), std::string(kEnvNameMax - 1, 'x'));
}

TEST(StepSpec, DisplaysArgvQuoted) {
  StepSpec s;
  s.argv = {"printf", "%s\n", "a b"};
  EXPECT_EQ(s.display_command(), "printf '%s\n' 'a b'");
  StepSpec shell;
  shell.command = "echo $HOME";
  EXPECT_EQ(shell.display_command(), "echo $HOME");
}

TEST(StepSpec, ALauncherPrefixesTheCommandLineWithNoExtraQuoting) {
  StepSpec argv;
  argv.argv = {"printf", "%s\n", "a b"};
  EXPECT_EQ(argv.command_line("/bin/sh"), (std::vector<std::string>{"printf", "%s\n", "a b"}));
  argv.launcher = {"srun", "--quiet", "--"};
  EXPECT_EQ(argv.command_line("/bin/sh"), (std::vector<std::string>{"srun", "--quiet", "--", "printf", "%s\n", "a b"}));
  EXPECT_EQ(argv.display_command_line("/bin/sh"), "srun --quiet -- printf '%s\n' 'a b'");
  EXPECT_EQ(argv.display_command(), "printf '%s\n' 'a b'");  // names and reports keep the step's own command

  StepSpec shell;
  shell.command = "echo \"$HOME\" 'x'";
  EXPECT_EQ(shell.command_line("/bin/bash"), (std::vector<std::string>{"/bin/bash", "-c", "echo \"$HOME\" 'x'"}));
  EXPECT_EQ(shell.display_command_line("/bin/bash"), "echo \"$HOME\" 'x'");
  shell.launcher = {"ssh", "build host"};
  EXPECT_EQ(shell.command_line("/bin/bash"),
            (std::vector<std::string>{"ssh", "build host", "/bin/bash", "-c", "echo \"$HOME\" 'x'"}));
  EXPECT_EQ(shell.display_command_line("/bin/bash"), "ssh 'build host' /bin/bash -c 'echo \"$HOME\" '\\''x'\\'''");
}

TEST(StepResult, Describes) {
  StepResult r;
  EXPECT_EQ(r.describe(), "not started");
  r.status = StepStatus::failed;
  r.exit = ExitStatus::exited(2);
  EXPECT_EQ(r.describe(), "exit 2");
  r.status = StepStatus::error;
  r.error = "could not start: nosuch: No such file or directory";
  EXPECT_EQ(r.describe(), "could not start: nosuch: No such file or directory");
  EXPECT_EQ(format_duration(std::chrono::milliseconds(1234)), "1.23s");
}

TEST(Summary, ListsEachStepThatDidNotSucceedWithItsTail) {
  std::vector<StepSpec> steps(3);
  steps[0].name = "good";
  steps[1].name = "bad";
  steps[2].name = "later";
  std::vector<StepResult> results(3);
  results[0].status = StepStatus::ok;
  results[1].status = StepStatus::failed;
  results[1].exit = ExitStatus::exited(3);
  std::vector<std::string> tails{"", "one\ntwo", ""};
  EXPECT_EQ(format_summary(steps, results, tails),
            "parstep: 2 of 3 steps did not succeed:\n"
            "  bad: exit 3\n"
            "    | one\n"
            "    | two\n"
            "  later: not started\n");
  results[1].status = results[2].status = StepStatus::ok;
  EXPECT_EQ(format_summary(steps, results, tails), "");
}

TEST(Summary, NamesFlakyStepsAndShortensALongListOfNotStartedOnes) {
  std::vector<StepSpec> steps(500);
  std::vector<StepResult> results(500);
  for (std::size_t i = 0; i < steps.size(); ++i) steps[i].name = "s" + std::to_string(i);
  results[0].status = StepStatus::ok;
  results[0].attempts = 3;
  results[1].status = StepStatus::failed;
  results[1].exit = ExitStatus::exited(1);
  results[1].attempts = 2;
  std::vector<std::string> tails(500);
  std::string expected = "parstep: 499 of 500 steps did not succeed:\n  s1: exit 1\n";
  for (int i = 2; i < 12; ++i) expected += "  s" + std::to_string(i) + ": not started\n";
  expected += "  \u2026 and 488 more not started\n"
              "parstep: 1 step succeeded only after retries (flaky):\n  s0: ok at attempt 3\n";
  EXPECT_EQ(format_summary(steps, results, tails), expected);
  steps.resize(1);
  results.resize(1);
  EXPECT_EQ(format_summary(steps, results, tails, true),
            "parstep: 1 step succeeded only after retries (flaky):\n\033[33m  s0: ok at attempt 3\033[0m\n");
  results[0].status = StepStatus::failed;
  EXPECT_EQ(format_summary(steps, results, tails, true),
            "parstep: 1 of 1 step did not succeed:\n\033[31m  s0: failed\033[0m\n");
}

TEST(Summary, NamesWithNewlinesStayOnOneLine) {
  EXPECT_EQ(display_name("echo a\necho b\r"), "echo a\\necho b\\r");
}

}  // namespace
}  // namespace parstep
