// Planning a run (SPEC 1, 3, 6, 8): from the parsed command line and given
// surroundings to the steps and run options, before anything runs. Nothing
// is forked; files live in a temporary directory.
#include "plan.h"

#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "history.h"
#include "test_util.h"
#include "usage_error.h"

namespace parstep {
namespace {

using test::TempDir;

/// The warnings planning wrote, in order.
struct Warnings {
  std::vector<std::string> lines;
  WarningSink sink() {
    return [this](const std::string& line) { lines.push_back(line); };
  }
};

CommandLine commands(std::vector<std::string> steps) {
  CommandLine cl;
  cl.commands = std::move(steps);
  return cl;
}

std::string plan_error(const CommandLine& cl, const Surroundings& env = {}) {
  try {
    Warnings warnings;
    make_plan(cl, env, warnings.sink());
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Resolve, DefaultsAreTheCpusContinueAndGroup) {
  RunOptions run = resolve(CommandLine{}, Settings{}, Surroundings{.cpus = 6});
  EXPECT_EQ(run.jobs, 6u);
  EXPECT_EQ(run.on_error, OnError::keep_going);
  EXPECT_EQ(run.output, OutputMode::group);
  EXPECT_EQ(run.ci, CiPlatform::none);
  EXPECT_EQ(run.progress, ProgressMode::off);
  EXPECT_FALSE(run.colour);
  EXPECT_EQ(run.env, (std::vector<std::pair<std::string, std::string>>{{"NO_COLOR", "1"}}));
}

TEST(Resolve, SettingsWinOverDefaults) {
  Settings settings;
  settings.jobs = 0;
  settings.on_error = OnError::halt;
  settings.output = OutputMode::line;
  RunOptions run = resolve(CommandLine{}, settings, Surroundings{.cpus = 6});
  EXPECT_EQ(run.jobs, 0u);
  EXPECT_EQ(run.on_error, OnError::halt);
  EXPECT_EQ(run.output, OutputMode::line);
}

TEST(Resolve, CiAutoReadsGithubActionsAndItsStepSummary) {
  Surroundings env{.github_actions = "true", .github_step_summary = "/tmp/summary.md"};
  RunOptions run = resolve(CommandLine{}, Settings{}, env);
  EXPECT_EQ(run.ci, CiPlatform::github);
  EXPECT_EQ(run.step_summary_path, "/tmp/summary.md");
  EXPECT_EQ(run.progress, ProgressMode::heartbeat);  // in CI, off a terminal
}

TEST(Resolve, CiNoneOverridesTheEnvironment) {
  CommandLine cl;
  cl.ci = CiPlatform::none;
  RunOptions run = resolve(cl, Settings{}, Surroundings{.github_actions = "true", .github_step_summary = "/tmp/s"});
  EXPECT_EQ(run.ci, CiPlatform::none);
  EXPECT_EQ(run.step_summary_path, "");
  EXPECT_EQ(run.progress, ProgressMode::off);
}

TEST(Resolve, ProgressIsLiveOnACapableTerminalOnly) {
  EXPECT_EQ(resolve({}, {}, Surroundings{.term = "xterm", .stderr_terminal = true}).progress, ProgressMode::terminal);
  EXPECT_EQ(resolve({}, {}, Surroundings{.term = "dumb", .stderr_terminal = true}).progress, ProgressMode::off);
  CommandLine never;
  never.progress = When::never;
  EXPECT_EQ(resolve(never, {}, Surroundings{.term = "xterm", .stderr_terminal = true}).progress, ProgressMode::off);
  CommandLine always;
  always.progress = When::always;
  EXPECT_EQ(resolve(always, {}, Surroundings{}).progress, ProgressMode::heartbeat);
}

TEST(Resolve, ColourFollowsStdoutTerminalAndNoColor) {
  EXPECT_TRUE(resolve({}, {}, Surroundings{.term = "xterm", .stdout_terminal = true}).colour);
  EXPECT_FALSE(resolve({}, {}, Surroundings{.term = "xterm", .no_color = "1", .stdout_terminal = true}).colour);
  EXPECT_TRUE(resolve({}, {}, Surroundings{.clicolor_force = "1"}).colour);
}

TEST(MakePlan, CommandsAreNamedStepsWithTheCommandLinesSettings) {
  CommandLine cl = commands({"make a", "make a", "ls"});
  cl.settings.timeout = std::chrono::seconds(9);
  cl.settings.retries = 2;
  Plan plan = make_plan(cl, Surroundings{.cpus = 3}, Warnings().sink());
  ASSERT_EQ(plan.steps.size(), 3u);
  EXPECT_EQ(plan.steps[0].name, "make a");
  EXPECT_EQ(plan.steps[1].name, "make a #2");
  EXPECT_EQ(plan.steps[2].command, "ls");
  EXPECT_EQ(plan.steps[2].timeout, std::chrono::seconds(9));
  EXPECT_EQ(plan.steps[2].retries, 2u);
  EXPECT_FALSE(plan.queue);
  EXPECT_EQ(plan.options.jobs, 3u);
}

TEST(MakePlan, NoCommandsAndNoManifestIsQueueMode) {
  Plan plan = make_plan(CommandLine{}, Surroundings{}, Warnings().sink());
  EXPECT_TRUE(plan.queue);
  EXPECT_TRUE(plan.steps.empty());
}

TEST(MakePlan, TheManifestsSettingsApplyUnderTheCommandLines) {
  TempDir dir;
  test::write_file(dir.file("m.json"), R"({"jobs": 5, "on_error": "halt", "output": "line", "steps": ["a", "b"]})");
  CommandLine cl;
  cl.manifest = dir.file("m.json");
  cl.settings.output = OutputMode::ordered;
  Plan plan = make_plan(cl, Surroundings{.cpus = 3}, Warnings().sink());
  EXPECT_EQ(plan.steps.size(), 2u);
  EXPECT_FALSE(plan.queue);
  EXPECT_EQ(plan.options.jobs, 5u);
  EXPECT_EQ(plan.options.on_error, OnError::halt);
  EXPECT_EQ(plan.options.output, OutputMode::ordered);
  EXPECT_FALSE(plan.options.pty);
}

TEST(MakePlan, AManifestsPtyIsAsTheOption) {
  TempDir dir;
  test::write_file(dir.file("m.json"), R"({"pty": true, "steps": ["a"]})");
  CommandLine cl;
  cl.manifest = dir.file("m.json");
  EXPECT_TRUE(make_plan(cl, Surroundings{.cpus = 1}, Warnings().sink()).options.pty);
  test::write_file(dir.file("m.json"), R"({"pty": false, "steps": ["a"]})");
  cl.run.pty = true;
  EXPECT_TRUE(make_plan(cl, Surroundings{.cpus = 1}, Warnings().sink()).options.pty);  // false cannot unset --pty
}

TEST(MakePlan, AManifestThatCannotBeReadOrUsedIsAUsageError) {
  TempDir dir;
  CommandLine cl;
  cl.manifest = dir.file("missing.json");
  EXPECT_EQ(plan_error(cl), cl.manifest + ": cannot read: No such file or directory");
  test::write_file(dir.file("bad.json"), R"({"steps": ["a"], "output": "lines"})");
  cl.manifest = dir.file("bad.json");
  EXPECT_EQ(plan_error(cl), cl.manifest + ":1:18: output: expected group, ordered or line, got \"lines\"");
}

TEST(MakePlan, RerunFailedNeedsAHistoryAndStepsUpFront) {
  CommandLine cl;
  cl.rerun_failed = true;
  EXPECT_EQ(plan_error(cl), "--rerun-failed needs a history: give --history PATH");
  TempDir dir;
  cl.history = dir.file("h.json");
  EXPECT_EQ(plan_error(cl), "--rerun-failed needs the steps up front: give COMMANDs or -f, not stdin");
}

TEST(MakePlan, RerunFailedKeepsTheStepsTheHistorySaysDidNotSucceed) {
  TempDir dir;
  CommandLine cl = commands({"a", "b", "c"});
  Plan first = make_plan(cl, Surroundings{}, Warnings().sink());
  save_history(dir.file("h.json"), first.steps,
               {{StepStatus::ok, std::chrono::seconds(1)}, {StepStatus::failed, {}}, {StepStatus::timed_out, {}}});
  cl.history = dir.file("h.json");
  cl.rerun_failed = true;
  Plan plan = make_plan(cl, Surroundings{}, Warnings().sink());
  ASSERT_EQ(plan.steps.size(), 2u);
  EXPECT_EQ(plan.steps[0].name, "b");
  EXPECT_EQ(plan.steps[1].name, "c");
  EXPECT_EQ(plan.options.history_path, dir.file("h.json"));
  EXPECT_TRUE(plan.options.schedule_longest);  // the default with a history
}

TEST(MakePlan, ACorruptHistoryIsAWarningAndAnEmptyHistory) {
  TempDir dir;
  test::write_file(dir.file("h.json"), "[]");
  CommandLine cl = commands({"a"});
  cl.history = dir.file("h.json");
  cl.schedule_longest = false;
  Warnings warnings;
  Plan plan = make_plan(cl, Surroundings{}, warnings.sink());
  EXPECT_EQ(warnings.lines, std::vector<std::string>{"parstep: warning: history " + cl.history +
                                                     ": not a parstep history: no \"format\": \"parstep-history\"; "
                                                     "starting from an empty history\n"});
  ASSERT_NE(plan.options.history, nullptr);
  EXPECT_TRUE(plan.options.history->entries().empty());
  EXPECT_FALSE(plan.options.schedule_longest);
}

TEST(MakePlan, OutputPathsNeedAWritableDirectory) {
  TempDir dir;
  CommandLine cl = commands({"a"});
  cl.run.report_path = dir.file("no/such/r.json");
  EXPECT_EQ(plan_error(cl), cl.run.report_path + ": cannot write there: " + dir.file("no/such") +
                                " is not a writable directory");
  cl.run.report_path.clear();
  cl.history = dir.file("none/h.json");
  EXPECT_EQ(plan_error(cl), "--history: cannot use " + cl.history + ": " + dir.file("none") +
                                " is not a writable directory");
}

TEST(MakePlan, TheLogDirIsCreated) {
  TempDir dir;
  CommandLine cl = commands({"a"});
  cl.run.log_dir = dir.file("logs/deep");
  make_plan(cl, Surroundings{}, Warnings().sink());
  EXPECT_TRUE(std::filesystem::is_directory(dir.file("logs/deep")));
}

TEST(MakePlan, UnderMakeDashNItIsADryRunThatChecksNoPathAndJoinsNoJobserver) {
  CommandLine cl = commands({"a"});
  cl.run.report_path = "/nonexistent/dir/r.json";
  Warnings warnings;
  Plan plan = make_plan(cl, Surroundings{.makeflags = "n -j2 --jobserver-auth=98,99"}, warnings.sink());
  EXPECT_TRUE(plan.dry_run);
  EXPECT_EQ(plan.options.jobserver, nullptr);
  EXPECT_EQ(warnings.lines, std::vector<std::string>{});
}

TEST(MakePlan, AnUnusableJobserverWarnsThroughTheSink) {
  Warnings warnings;
  Plan plan = make_plan(commands({"a"}), Surroundings{.makeflags = "-j2 --jobserver-auth=98,99", .cpus = 8},
                        warnings.sink());
  EXPECT_FALSE(plan.dry_run);
  EXPECT_EQ(plan.options.jobs, 2u);
  ASSERT_EQ(warnings.lines.size(), 1u);
  EXPECT_TRUE(warnings.lines[0].starts_with("parstep: warning: the jobserver in MAKEFLAGS is unusable: "));
}

}  // namespace
}  // namespace parstep
