// End to end: --ci github and gitlab markers around blocks, the GitHub job
// summary, and what a step's own workflow commands can and cannot do.
#include <regex>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

Child::Options with_env(std::vector<std::string> env) {
  Child::Options o;
  o.env = std::move(env);
  return o;
}

Child::Options with_stdin(std::string data) {
  Child::Options o;
  o.stdin_data = std::move(data);
  return o;
}

// The run's stop-commands token (random) as "TOKEN", durations as "T",
// GitLab's unix times as "UNIX".
std::string normalised(const std::string& out) {
  std::smatch m;
  std::string text = out;
  if (std::regex_search(text, m, std::regex("::stop-commands::([0-9a-f]{32})\n"))) {
    std::string token = m[1];
    for (std::size_t at; (at = text.find(token)) != std::string::npos;) text.replace(at, token.size(), "TOKEN");
  }
  text = std::regex_replace(text, std::regex("section_(start|end):[0-9]+:"), "section_$1:UNIX:");
  return without_durations(text);
}

TEST(Ci, GitHubFoldsSuccessesAndAnnotatesFailures) {
  Result r = run_parstep({"-j1", "--ci", "github", "echo ok", "printf 'no newline'; exit 3", "true"});
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(normalised(r.out),
            "::group::==> echo ok (ok, T)\n::stop-commands::TOKEN\nok\n::TOKEN::\n::endgroup::\n"
            "==> printf 'no newline'; exit 3 (FAILED: exit 3, T)\n::stop-commands::TOKEN\nno newline\n::TOKEN::\n"
            "::error title=printf 'no newline'; exit 3::exit 3\n"
            "::group::==> true (ok, T)\n::stop-commands::TOKEN\n::TOKEN::\n::endgroup::\n");
}

TEST(Ci, GitHubAnnotatesATimedOutStepWithEscapedText) {
  Result r = run_parstep({"--ci", "github", "--timeout", "0.1", "-f", "-"},
                         with_stdin(R"([{"name": "slow: 100%, really", "shell": "echo before; exec sleep 60"}])"));
  EXPECT_EQ(normalised(r.out),
            "==> slow: 100%, really (FAILED: timed out after 0.1s, T)\n::stop-commands::TOKEN\nbefore\n::TOKEN::\n"
            "::error title=slow%3A 100%25%2C really::timed out after 0.1s\n");
}

TEST(Ci, AStepPrintingWorkflowCommandsCannotBreakTheStructure) {
  // The step's bytes reach stdout unchanged, between stop-commands and the
  // run's token, which the step cannot know: GitHub shows its ::endgroup::
  // as text instead of closing parstep's group.
  Result r = run_parstep({"--ci", "github", "echo '::endgroup::'; echo '::group::evil'; echo '::stop-commands::x'"});
  EXPECT_EQ(normalised(r.out),
            "::group::==> echo '::endgroup::'; echo '::group::evil'; echo '::stop-commands::x' (ok, T)\n"
            "::stop-commands::TOKEN\n::endgroup::\n::group::evil\n::stop-commands::x\n::TOKEN::\n::endgroup::\n");
}

TEST(Ci, ALiveOrderedBlockIsClosedThenAnnotated) {
  TempDir dir;
  Fifo started(dir.file("started"));
  make_fifo(dir.file("go"));
  // -j1: the second step starts after the first ends, so it is live too
  // (an ok live block: folded, no annotation).
  Child c = start_parstep({"-j1", "-o", "ordered", "--ci", "github",
                           "echo live; echo > " + started.path() + "; read x < " + dir.file("go") + "; exit 4",
                           "echo second"});
  ASSERT_TRUE(started.read_line());
  ASSERT_TRUE(c.read_stdout_until("live\n"));  // streamed before the step ended
  release(dir.file("go"));
  c.finish();
  EXPECT_EQ(normalised(c.out),
            "::group::==> echo live; echo > " + started.path() + "; read x < " + dir.file("go") + "; exit 4\n"
            "::stop-commands::TOKEN\nlive\n::TOKEN::\n::endgroup::\n"
            "::error title=echo live; echo > " + started.path() + "; read x < " + dir.file("go") + "; exit 4::exit 4\n"
            "::group::==> echo second\n::stop-commands::TOKEN\nsecond\n::TOKEN::\n::endgroup::\n");
}

TEST(Ci, GitLabSectionsCollapsedWhenSuccessful) {
  Result r = run_parstep({"-j1", "--ci", "gitlab", "echo ok", "echo bad; exit 1"});
  EXPECT_EQ(normalised(r.out),
            "\033[0Ksection_start:UNIX:parstep_0[collapsed=true]\r\033[0K==> echo ok (ok, T)\nok\n"
            "\033[0Ksection_end:UNIX:parstep_0\r\033[0K\n"
            "\033[0Ksection_start:UNIX:parstep_1\r\033[0K==> echo bad; exit 1 (FAILED: exit 1, T)\nbad\n"
            "\033[0Ksection_end:UNIX:parstep_1\r\033[0K\n");
}

TEST(Ci, GitLabLiveAndTimedOutBlocksStayExpanded) {
  Result r = run_parstep({"-j2", "-o", "ordered", "--ci", "gitlab", "--timeout", "0.1", "echo a; exec sleep 60", "echo b"});
  EXPECT_EQ(normalised(r.out),
            "\033[0Ksection_start:UNIX:parstep_0\r\033[0K==> echo a; exec sleep 60\na\n"
            "\033[0Ksection_end:UNIX:parstep_0\r\033[0K\n"
            "\033[0Ksection_start:UNIX:parstep_1[collapsed=true]\r\033[0K==> echo b (ok, T)\nb\n"
            "\033[0Ksection_end:UNIX:parstep_1\r\033[0K\n");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex("section_start:([0-9]+):parstep_0")));
  long long start = std::stoll(m[1]);
  EXPECT_GT(start, 1700000000);  // a unix time, not a duration
}

TEST(Ci, AutoFollowsTheCiVariablesAndNothingMarksLineModeOrBareOutput) {
  Result github = run_parstep({"echo a"}, with_env({"GITHUB_ACTIONS=true"}));
  EXPECT_EQ(normalised(github.out), "::group::==> echo a (ok, T)\n::stop-commands::TOKEN\na\n::TOKEN::\n::endgroup::\n");
  Result gitlab = run_parstep({"echo a"}, with_env({"GITLAB_CI=true"}));
  EXPECT_NE(gitlab.out.find("section_start:"), std::string::npos);
  EXPECT_EQ(run_parstep({"--ci", "none", "echo a"}, with_env({"GITHUB_ACTIONS=true"})).out.find("::"), std::string::npos);
  EXPECT_EQ(run_parstep({"--ci", "github", "-o", "line", "echo a; exit 1"}).out, "[echo a; exit 1] a\n");
  EXPECT_EQ(run_parstep({"--ci", "gitlab", "--no-header", "-o", "ordered", "echo a", "false"}).out, "a\n");
  EXPECT_EQ(run_parstep({"--ci", "travis", "echo a"}).err,
            "parstep: error: --ci: expected auto, github, gitlab or none, got 'travis'\n");
}

TEST(Ci, GitHubJobSummaryIsAppended) {
  TempDir dir;
  std::string summary = dir.file("summary.md");
  write_file(summary, "earlier\n");
  Result r = run_parstep({"-j1", "--ci", "github", "--retries", "1", "echo ok", "exit 3", "f=" + dir.file("once") +
                          "; test -e $f || { touch $f; exit 1; }"},
                         with_env({"GITHUB_STEP_SUMMARY=" + summary}));
  EXPECT_EQ(r.exit_code(), 1);
  std::string text = std::regex_replace(read_file(summary), std::regex(R"(\d+\.\d\ds)"), "T");
  EXPECT_EQ(text, "earlier\n### parstep\n\n| step | result | duration | attempts |\n|---|---|---|---|\n"
                  "| exit 3 | **exit 3** | T | 2 |\n"
                  "| echo ok | ok | T | 1 |\n"
                  "| f=" + dir.file("once") + "; test -e $f \\|\\| { touch $f; exit 1; } | ok | T | 2 |\n\n");
}

}  // namespace
}  // namespace parstep::test
