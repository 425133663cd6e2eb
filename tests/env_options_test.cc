// PARSTEP_OPTIONS (SPEC 1): splitting into words, and how its options
// combine with the command line's.
#include "env_options.h"

#include <gtest/gtest.h>

#include "cli.h"

namespace parstep {
namespace {

using Words = std::vector<std::string>;

TEST(SplitOptionWords, BlanksSeparateWords) {
  EXPECT_EQ(split_option_words("  --output-on-failure\t-j2\n -x "), (Words{"--output-on-failure", "-j2", "-x"}));
  EXPECT_EQ(split_option_words(""), Words{});
  EXPECT_EQ(split_option_words(" \t\n"), Words{});
}

TEST(SplitOptionWords, SingleQuotesKeepEverything) {
  EXPECT_EQ(split_option_words(R"(--shell '/opt/my shell/sh' '' 'a\b"c')"),
            (Words{"--shell", "/opt/my shell/sh", "", R"(a\b"c)"}));
}

TEST(SplitOptionWords, DoubleQuotesKeepABackslashedQuoteOrBackslash) {
  EXPECT_EQ(split_option_words(R"("a \"b\" \\ \n $x 'y'")"), (Words{R"(a "b" \ \n $x 'y')"}));
}

TEST(SplitOptionWords, QuotesJoinWhatTouchesThem) {
  EXPECT_EQ(split_option_words(R"(--log-dir='my logs'/x -'j'"2" a\ b)"),
            (Words{"--log-dir=my logs/x", "-j2", "a b"}));
}

TEST(SplitOptionWords, AnUnterminatedQuoteOrTrailingBackslashIsAnError) {
  for (auto [text, message] : {std::pair{"-j2 'x", "PARSTEP_OPTIONS: unterminated ' quote"},
                               {R"("x\")", "PARSTEP_OPTIONS: unterminated \" quote"},
                               {R"(-x \)", "PARSTEP_OPTIONS: a backslash ends it"}}) {
    try {
      split_option_words(text);
      ADD_FAILURE() << text;
    } catch (const UsageError& e) {
      EXPECT_STREQ(e.what(), message);
    }
  }
}

CommandLine parse(std::vector<const char*> args, const char* env) {
  args.insert(args.begin(), "parstep");
  return parse_command_line(static_cast<int>(args.size()), args.data(), env);
}

std::string usage_error(std::vector<const char*> args, const char* env) {
  try {
    parse(std::move(args), env);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(EnvOptions, AreReadBeforeTheCommandLine) {
  CommandLine cl = parse({"echo a"}, "--output-on-failure -j2 --report 'r 1.json'");
  EXPECT_TRUE(cl.run.output_on_failure);
  EXPECT_EQ(cl.settings.jobs, 2u);
  EXPECT_EQ(cl.run.report_path, "r 1.json");
  EXPECT_EQ(cl.commands, Words{"echo a"});
}

TEST(EnvOptions, TheCommandLineWins) {
  CommandLine cl = parse({"-j3", "--on-error=continue", "--kill-after", "1", "echo a"}, "-j2 -x --kill-after=9 -o line");
  EXPECT_EQ(cl.settings.jobs, 3u);
  EXPECT_EQ(cl.settings.on_error, OnError::keep_going);
  EXPECT_EQ(cl.run.kill_after, std::chrono::seconds(1));
  EXPECT_EQ(cl.settings.output, OutputMode::line);
}

TEST(EnvOptions, UnsetOrEmptyChangesNothing) {
  for (const char* env : {static_cast<const char*>(nullptr), "", "  "}) {
    CommandLine cl = parse({"echo a"}, env);
    EXPECT_FALSE(cl.settings.jobs.has_value());
    EXPECT_EQ(cl.run.kill_after, std::chrono::seconds(5));
    EXPECT_EQ(cl.run.shell, "/bin/sh");
  }
}

TEST(EnvOptions, ErrorsThereNamePARSTEP_OPTIONS) {
  EXPECT_EQ(usage_error({"echo a"}, "--bogus"), "PARSTEP_OPTIONS: option 'bogus' does not exist (see parstep --help)");
  EXPECT_EQ(usage_error({"echo a"}, "-j many"),
            "PARSTEP_OPTIONS: --jobs: expected a whole number from 0 (no limit) to 1000000, or a share of the CPUs like 50%, got 'many'");
  EXPECT_EQ(usage_error({"echo a"}, "-j2 'echo b'"), "PARSTEP_OPTIONS: holds options only, not steps: 'echo b'");
  EXPECT_EQ(usage_error({}, "-f steps.json"), "PARSTEP_OPTIONS: holds options only, not steps: '-f'");
  EXPECT_EQ(usage_error({"echo a"}, "-- -x"), "PARSTEP_OPTIONS: holds options only, not steps: '-x'");
  EXPECT_EQ(usage_error({"--bogus"}, "-j2"), "option 'bogus' does not exist (see parstep --help)");
}

}  // namespace
}  // namespace parstep
