// End to end: the command line, usage errors and queue mode (SPEC 1).
#include <unistd.h>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

struct BadUsage {
  std::vector<std::string> args;
  std::string message;
};

class Usage : public testing::TestWithParam<BadUsage> {};

TEST_P(Usage, IsExitTwoWithOneClearLineAndNothingRuns) {
  TempDir dir;
  std::vector<std::string> args = GetParam().args;
  args.push_back("touch " + dir.file("ran"));
  Result r = run_parstep(args);
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "parstep: error: " + GetParam().message + "\n");
  EXPECT_NE(access(dir.file("ran").c_str(), F_OK), 0) << "a step ran";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Usage,
    testing::Values(
        BadUsage{{"--bogus"}, "option 'bogus' does not exist (see parstep --help)"},
        BadUsage{{"-j", "-1"}, "--jobs: expected a whole number from 0 (no limit) to 1000000, or a share of the CPUs like 50%, got '-1'"},
        BadUsage{{"-j", "2x"}, "--jobs: expected a whole number from 0 (no limit) to 1000000, or a share of the CPUs like 50%, got '2x'"},
        BadUsage{{"--output", "nonsense"}, "--output: expected group, ordered or line, got 'nonsense'"},
        BadUsage{{"--on-error", "stop"}, "--on-error: expected continue, finish or halt, got 'stop'"},
        BadUsage{{"--kill-after", "-1"}, "--kill-after: expected a duration (like 90, 1.5m, 500ms or 2h), got '-1'"},
        BadUsage{{"--kill-after", "nan"}, "--kill-after: expected a duration (like 90, 1.5m, 500ms or 2h), got 'nan'"},
        BadUsage{{"echo ok", ""}, "step 2 is an empty command"},
        BadUsage{{" \t"}, "step 1 is an empty command"},
        BadUsage{{"--shell="}, "--shell: expected a program, got ''"},
        BadUsage{{"--timeout", "0"}, "--timeout: expected a duration greater than 0 (like 90, 1.5m, 500ms or 2h), got '0'"},
        BadUsage{{"--silent-timeout", "-2"}, "--silent-timeout: expected a duration greater than 0 (like 90, 1.5m, 500ms or 2h), got '-2'"},
        BadUsage{{"-j", "%"}, "--jobs: expected a whole number from 0 (no limit) to 1000000, or a share of the CPUs like 50%, got '%'"},
        BadUsage{{"-j", "-5%"}, "--jobs: expected a whole number from 0 (no limit) to 1000000, or a share of the CPUs like 50%, got '-5%'"},
        BadUsage{{"-j", "abc%"}, "--jobs: expected a whole number from 0 (no limit) to 1000000, or a share of the CPUs like 50%, got 'abc%'"},
        BadUsage{{"-j", "0%"}, "--jobs: expected a whole number from 0 (no limit) to 1000000, or a share of the CPUs like 50%, got '0%'"},
        BadUsage{{"--timeout", "5x"}, "--timeout: expected a duration greater than 0 (like 90, 1.5m, 500ms or 2h), got '5x'"},
        BadUsage{{"--timeout", "-1s"}, "--timeout: expected a duration greater than 0 (like 90, 1.5m, 500ms or 2h), got '-1s'"},
        BadUsage{{"--timeout", "1e3"}, "--timeout: expected a duration greater than 0 (like 90, 1.5m, 500ms or 2h), got '1e3'"},
        BadUsage{{"--schedule", "shortest"}, "--schedule: expected given or longest, got 'shortest'"},
        BadUsage{{"--history", "/nonexistent/h.json"},
                 "--history: cannot use /nonexistent/h.json: /nonexistent is not a writable directory"},
        BadUsage{{"--rerun-failed"}, "--rerun-failed needs a history: give --history PATH"},
        BadUsage{{"--retries", "1001"}, "--retries: expected a whole number from 0 to 1000, got '1001'"},
        BadUsage{{"--progress", "sometimes"}, "--progress: expected auto, always or never, got 'sometimes'"},
        BadUsage{{"--color", "yes"}, "--color: expected auto, always or never, got 'yes'"},
        BadUsage{{"--report", "/nonexistent/r.json"},
                 "/nonexistent/r.json: cannot write there: /nonexistent is not a writable directory"},
        BadUsage{{"--log-dir", "/proc/parstep-logs"}, "--log-dir: cannot use /proc/parstep-logs: No such file or directory"}));

TEST(Cli, AMissingArgumentIsAUsageError) {
  Result r = run_parstep({"echo x", "-j"});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.err, "parstep: error: option 'j' is missing an argument (see parstep --help)\n");
}

TEST(Cli, ACommandThatDoesNotExistFailsWith127AndOthersStillRun) {
  Result r = run_parstep({"-j1", "--no-header", "parstep-no-such-command", "echo still ran"});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_NE(r.out.find("parstep-no-such-command: not found"), std::string::npos) << r.out;
  EXPECT_TRUE(r.out.ends_with("still ran\n"));
  EXPECT_NE(r.err.find("\n  parstep-no-such-command: exit 127\n"), std::string::npos) << r.err;
}

TEST(Cli, AShellThatDoesNotExistIsAStepThatCouldNotStart) {
  Result r = run_parstep({"--shell", "/nonexistent/sh", "echo x"});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(without_durations(r.out),
            "==> echo x (FAILED: could not start: /nonexistent/sh: No such file or directory, T)\n");
}

TEST(Cli, ShellPicksTheShell) {
  Result r = run_parstep({"--shell", "bash", "--no-header", "echo ${BASH_VERSION:+bash}"});
  EXPECT_EQ(r.out, "bash\n");
}

TEST(Cli, ArgumentsAfterDoubleDashAreStepsAndCommasStayInside) {
  // "-x" after "--" is a step (handed to sh -c, which rejects it), not
  // --halt-on-error; a comma does not split a command.
  Result r = run_parstep({"-j1", "--no-header", "--", "-x", "echo a,b"});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_TRUE(r.out.ends_with("a,b\n")) << r.out;
  EXPECT_NE(r.err.find("\n  -x: exit 2\n"), std::string::npos) << r.err;
}

TEST(Cli, DryRunPrintsStepsAndRunsNothing) {
  TempDir dir;
  std::string touch = "touch " + dir.file("ran");
  Result r = run_parstep({"-n", touch, touch});
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.out, "==> " + touch + "\n    " + touch + "\n==> " + touch + " #2\n    " + touch + "\n");
  EXPECT_NE(access(dir.file("ran").c_str(), F_OK), 0);
}

TEST(Cli, QueueModeStartsEachStepAsSoonAsItsLineIsRead) {
  TempDir dir;
  Fifo started(dir.file("started"));
  Child::Options o;
  o.close_stdin = false;
  o.stdin_data = "echo > " + started.path() + "; echo one\n";
  Child c = start_parstep({"-j2", "--no-header", "-o", "ordered"}, o);
  ASSERT_TRUE(started.read_line()) << "the first step did not start before end of input";
  c.write_stdin("\necho two\n");
  c.close_stdin();
  int status = c.finish();
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(c.out, "one\ntwo\n");
}

TEST(Cli, NoStepsIsSuccess) {
  Result r = run_parstep({});
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
}

TEST(Cli, VersionIsInGnuFormAndHelpEndsNoLineInASpace) {
  Result v = run_parstep({"--version"});
  EXPECT_EQ(v.exit_code(), 0);
  EXPECT_TRUE(v.out.starts_with("parstep " PARSTEP_VERSION_FOR_TESTS "\nCopyright (c) ")) << v.out;
  Result h = run_parstep({"--help"});
  EXPECT_EQ(h.exit_code(), 0);
  EXPECT_NE(h.out.find("\n  -x, --halt-on-error "), std::string::npos);
  EXPECT_EQ(h.out.find(" \n"), std::string::npos) << h.out;
}

TEST(EnvOptions, ApplyToTheRunAndTheCommandLineWins) {
  TempDir dir;
  Child::Options o;
  o.env = {"PARSTEP_OPTIONS=--no-header -j1 --report '" + dir.file("r 1.json") + "'"};
  Result r = run_parstep({"-j3", "echo hi"}, o);
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.out, "hi\n");
  EXPECT_NE(read_file(dir.file("r 1.json")).find("\"jobs\": 3,"), std::string::npos);
}

TEST(EnvOptions, ABadOptionThereIsExitTwoNamingIt) {
  TempDir dir;
  Child::Options o;
  o.env = {"PARSTEP_OPTIONS=--bogus"};
  Result r = run_parstep({"touch " + dir.file("ran")}, o);
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "parstep: error: PARSTEP_OPTIONS: option 'bogus' does not exist (see parstep --help)\n");
  EXPECT_NE(access(dir.file("ran").c_str(), F_OK), 0) << "a step ran";
}

TEST(EnvOptions, ArePassedOnSoNestedParstepsSeeThem) {
  Child::Options o;
  o.env = {"PARSTEP_OPTIONS=--no-header"};
  Result r = run_parstep({"printf '%s|' \"$PARSTEP_OPTIONS\"; " + parstep_path() + " 'echo inner'"}, o);
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.out, "--no-header|inner\n");
}

}  // namespace
}  // namespace parstep::test
