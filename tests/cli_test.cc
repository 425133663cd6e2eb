// The command line (SPEC 1) parsed in-process: each usage error's exact
// message (main() prints it after "parstep: error: " and exits 2), and
// every name of every vocabulary accepted where it belongs.
#include "cli.h"

#include <gtest/gtest.h>

#include "vocabulary.h"

namespace parstep {
namespace {

CommandLine parse(std::vector<const char*> args, const char* env = nullptr) {
  args.insert(args.begin(), "parstep");
  return parse_command_line(static_cast<int>(args.size()), args.data(), env);
}

std::string usage_error(std::vector<const char*> args, const char* env = nullptr) {
  try {
    parse(std::move(args), env);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

constexpr const char* kJobs =
    "--jobs: expected a whole number from 0 (no limit) to 1000000, or a share of the CPUs like 50%, got ";

TEST(CliUsage, BadJobs) {
  for (const char* jobs : {"%", "-5%", "abc%", "0%", "1000001", "1234567890", "", " 2", "2x", "+3"})
    EXPECT_EQ(usage_error({"-j", jobs, "true"}), kJobs + std::string("'") + jobs + "'") << jobs;
  EXPECT_EQ(usage_error({"--jobs=-5%", "true"}), kJobs + std::string("'-5%'"));
}

TEST(CliUsage, GoodJobs) {
  EXPECT_EQ(parse({"-j", "0", "true"}).settings.jobs, 0u);
  EXPECT_EQ(parse({"-j1000000", "true"}).settings.jobs, 1000000u);
  EXPECT_GE(parse({"-j", "1%", "true"}).settings.jobs, 1u);  // at least one
}

TEST(CliUsage, BadDurations) {
  for (const char* text : {"5x", "-1s", "0", "0ms", "1e3", "", "inf", "1.5.2s", "5 s"}) {
    EXPECT_EQ(usage_error({"--timeout", text, "true"}),
              std::string("--timeout: expected a duration greater than 0 (like 90, 1.5m, 500ms or 2h), got '") + text +
                  "'");
    EXPECT_EQ(usage_error({"--silent-timeout", text, "true"}),
              std::string("--silent-timeout: expected a duration greater than 0 (like 90, 1.5m, 500ms or 2h), got '") +
                  text + "'");
  }
  EXPECT_EQ(usage_error({"--kill-after", "5x", "true"}),
            "--kill-after: expected a duration (like 90, 1.5m, 500ms or 2h), got '5x'");
}

TEST(CliUsage, KillAfterMayBeZeroATimeoutMayNot) {
  EXPECT_EQ(parse({"--kill-after", "0", "true"}).run.kill_after, std::chrono::milliseconds(0));
  EXPECT_EQ(parse({"--timeout", "1.5m", "true"}).settings.timeout, std::chrono::seconds(90));
}

TEST(CliUsage, BadRetries) {
  for (const char* text : {"1001", "-1", "x", "", "2.0"})
    EXPECT_EQ(usage_error({"--retries", text, "true"}),
              std::string("--retries: expected a whole number from 0 to 1000, got '") + text + "'");
  EXPECT_EQ(parse({"--retries", "1000", "true"}).settings.retries, 1000u);
}

TEST(CliUsage, UnknownModes) {
  struct Case {
    const char* option;
    const char* message;
  };
  for (auto [option, message] : {Case{"--on-error", "--on-error: expected continue, finish or halt, got 'stop'"},
                                 {"--output", "--output: expected group, ordered or line, got 'stop'"},
                                 {"--progress", "--progress: expected auto, always or never, got 'stop'"},
                                 {"--color", "--color: expected auto, always or never, got 'stop'"},
                                 {"--ci", "--ci: expected auto, github, gitlab or none, got 'stop'"},
                                 {"--schedule", "--schedule: expected given or longest, got 'stop'"},
                                 {"--queue-format", "--queue-format: expected lines or json, got 'stop'"},
                                 {"--jobserver-style", "--jobserver-style: expected auto, fifo or pipe, got 'stop'"}})
    EXPECT_EQ(usage_error({option, "stop", "true"}), message) << option;
  EXPECT_EQ(usage_error({"--output", "Group", "true"}), "--output: expected group, ordered or line, got 'Group'");
}

TEST(CliUsage, EveryNameOfEveryVocabularyIsAccepted) {
  for (std::size_t i = 0; i < 3; ++i) {
    std::string name(kOnErrorNames.name(i));
    EXPECT_EQ(parse({"--on-error", name.c_str(), "true"}).settings.on_error, kOnErrorNames.values[i]);
    name = kOutputNames.name(i);
    EXPECT_EQ(parse({"--output", name.c_str(), "true"}).settings.output, kOutputNames.values[i]);
    name = kWhenNames.name(i);
    EXPECT_EQ(parse({"--color", name.c_str(), "true"}).color, kWhenNames.values[i]);
    EXPECT_EQ(parse({"--progress", name.c_str(), "true"}).progress, kWhenNames.values[i]);
    name = kJobserverStyleNames.name(i);
    EXPECT_EQ(parse({"--jobserver-style", name.c_str(), "true"}).jobserver_style, kJobserverStyleNames.values[i]);
  }
  EXPECT_EQ(parse({"--ci", "auto", "true"}).ci, std::nullopt);
  EXPECT_EQ(parse({"--ci", "gitlab", "true"}).ci, CiPlatform::gitlab);
  EXPECT_EQ(parse({"--ci", "none", "true"}).ci, CiPlatform::none);
  EXPECT_EQ(parse({"--schedule", "given", "true"}).schedule_longest, false);
  EXPECT_EQ(parse({"--schedule", "longest", "true"}).schedule_longest, true);
  EXPECT_EQ(parse({"--queue-format", "json"}).queue_format, QueueFormat::json);
  EXPECT_EQ(parse({"-x", "true"}).settings.on_error, OnError::halt);
}

TEST(CliUsage, ConflictingOptions) {
  EXPECT_EQ(usage_error({"-f", "m.json", "true"}), "-f reads the steps from a manifest: give no COMMAND with it");
  EXPECT_EQ(usage_error({"--queue-format", "json", "true"}),
            "--queue-format json applies to steps read from stdin: give no COMMAND and no -f with it");
  EXPECT_EQ(usage_error({"--queue-format", "json", "-f", "m.json"}),
            "--queue-format json applies to steps read from stdin: give no COMMAND and no -f with it");
  EXPECT_EQ(usage_error({"true"}, "'echo hi'"), "PARSTEP_OPTIONS: holds options only, not steps: 'echo hi'");
  EXPECT_EQ(usage_error({"true"}, "-f m.json"), "PARSTEP_OPTIONS: holds options only, not steps: '-f'");
}

TEST(CliUsage, EmptyValuesAndCommands) {
  EXPECT_EQ(usage_error({"true", " \t"}), "step 2 is an empty command");
  EXPECT_EQ(usage_error({"--report", "", "true"}), "--report: expected a path, got ''");
  EXPECT_EQ(usage_error({"--log-dir=", "true"}), "--log-dir: expected a path, got ''");
  EXPECT_EQ(usage_error({"--history", "", "true"}), "--history: expected a path, got ''");
  EXPECT_EQ(usage_error({"--shell", "", "true"}), "--shell: expected a program, got ''");
  EXPECT_EQ(usage_error({"--launcher", "", "true"}), "--launcher: expected a command, got ''");
  EXPECT_EQ(usage_error({"--launcher", "'x", "true"}), "--launcher: unterminated ' quote in ''x'");
}

TEST(CliUsage, CxxoptsMessagesArePlainAndPointAtHelp) {
  EXPECT_EQ(usage_error({"--frobnicate", "true"}), "option 'frobnicate' does not exist (see parstep --help)");
  EXPECT_EQ(usage_error({"-j"}), "option 'j' is missing an argument (see parstep --help)");
  EXPECT_EQ(usage_error({"--no-header=yes", "true"}), "argument 'yes' failed to parse (see parstep --help)");
}

TEST(CliUsage, ErrorsInParstepOptionsSaySo) {
  EXPECT_EQ(usage_error({"true"}, "-j x"), std::string("PARSTEP_OPTIONS: ") + kJobs + "'x'");
  EXPECT_EQ(usage_error({"true"}, "--ci travis"), "PARSTEP_OPTIONS: --ci: expected auto, github, gitlab or none, got 'travis'");
}

}  // namespace
}  // namespace parstep
