// CI log markers (GitHub workflow commands, GitLab sections), colour and
// JUnit: pure formatting.
#include "ci_markers.h"

#include <gtest/gtest.h>

#include "colour.h"

namespace parstep {
namespace {

TEST(CiMarkers, AutoDetectsThePlatformFromItsVariable) {
  EXPECT_EQ(detect_ci("true", nullptr), CiPlatform::github);
  EXPECT_EQ(detect_ci(nullptr, "true"), CiPlatform::gitlab);
  EXPECT_EQ(detect_ci("false", "1"), CiPlatform::none);
  EXPECT_EQ(detect_ci(nullptr, nullptr), CiPlatform::none);
}

TEST(CiMarkers, GitHubEscapesDataAndProperties) {
  EXPECT_EQ(github_escape_data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
  EXPECT_EQ(github_escape_property("100% a\r\nb: c, d"), "100%25 a%0D%0Ab%3A c%2C d");
}

TEST(CiMarkers, GitHubFoldsSuccessAndAnnotatesFailure) {
  CiMarkers m{CiPlatform::github, "T0K"};
  EXPECT_EQ(m.open(3, 1700000000, true, "==> a (ok, 0.10s)"), "::group::==> a (ok, 0.10s)\n");
  EXPECT_EQ(m.open(3, 1700000000, false, "==> a (FAILED: exit 1, 0.10s)"), "==> a (FAILED: exit 1, 0.10s)\n");
  EXPECT_EQ(m.before_output(), "::stop-commands::T0K\n");
  EXPECT_EQ(m.after_output(), "::T0K::\n");
  EXPECT_EQ(m.close(3, 1700000001, true, "a", ""), "::endgroup::\n");
  EXPECT_EQ(m.close(3, 1700000001, false, "a:b,c", "exit 1"), "::error title=a%3Ab%2Cc::exit 1\n");
  EXPECT_EQ(m.close(3, 1700000001, true, "live", "timed out after 1s"),
            "::endgroup::\n::error title=live::timed out after 1s\n");
}

TEST(CiMarkers, GitLabSectionsCollapseOnlyWhenFolded) {
  CiMarkers m{CiPlatform::gitlab, ""};
  EXPECT_EQ(m.open(7, 1700000000, true, "==> a (ok, 0.10s)"),
            "\033[0Ksection_start:1700000000:parstep_7[collapsed=true]\r\033[0K==> a (ok, 0.10s)\n");
  EXPECT_EQ(m.open(7, 1700000000, false, "==> a"), "\033[0Ksection_start:1700000000:parstep_7\r\033[0K==> a\n");
  EXPECT_EQ(m.before_output(), "");
  EXPECT_EQ(m.close(7, 1700000002, false, "a", "exit 1"), "\033[0Ksection_end:1700000002:parstep_7\r\033[0K\n");
}

TEST(CiMarkers, NoneAddsNothingButTheHeader) {
  CiMarkers m;
  EXPECT_EQ(m.open(0, 0, true, "==> a"), "==> a\n");
  EXPECT_EQ(m.before_output() + m.after_output() + m.close(0, 0, false, "a", "exit 1"), "");
}

TEST(CiMarkers, TokensAreRandomHex) {
  std::string a = random_token(), b = random_token();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, b);
}

TEST(CiMarkers, TheJobSummaryListsFailuresFirst) {
  std::vector<StepSpec> steps(3);
  steps[0].name = "ok one";
  steps[1].name = "bad|one";
  steps[2].name = "never";
  std::vector<StepResult> results(3);
  results[0].status = StepStatus::ok;
  results[0].attempts = 2;
  results[0].duration = std::chrono::milliseconds(1500);
  results[1].status = StepStatus::failed;
  results[1].attempts = 1;
  results[1].exit = ExitStatus::from_wait(3 << 8);
  EXPECT_EQ(github_summary_table(steps, results),
            "### parstep\n\n| step | result | duration | attempts |\n|---|---|---|---|\n"
            "| bad\\|one | **exit 3** | 0.00s | 1 |\n"
            "| never | **not started** |  | 0 |\n"
            "| ok one | ok | 1.50s | 2 |\n");
}

TEST(Colour, AutoFollowsTheTerminalAndTheConventions) {
  auto on = [](When when, bool tty, const char* term, const char* no_color, const char* force) {
    return colour_on({when, tty, term, no_color, force});
  };
  EXPECT_TRUE(on(When::automatic, true, "xterm", nullptr, nullptr));
  EXPECT_TRUE(on(When::automatic, true, nullptr, "", nullptr));  // empty NO_COLOR is unset
  EXPECT_FALSE(on(When::automatic, true, "xterm", "1", nullptr));
  EXPECT_FALSE(on(When::automatic, true, "dumb", nullptr, nullptr));
  EXPECT_FALSE(on(When::automatic, false, "xterm", nullptr, nullptr));
  EXPECT_TRUE(on(When::automatic, false, "dumb", nullptr, "1"));
  EXPECT_FALSE(on(When::automatic, false, "xterm", nullptr, "0"));
  EXPECT_FALSE(on(When::automatic, false, "xterm", nullptr, ""));
  EXPECT_TRUE(on(When::always, false, "dumb", "1", nullptr));
  EXPECT_FALSE(on(When::never, true, "xterm", nullptr, "1"));
}

TEST(Colour, StepsAreAskedForColourOrForNone) {
  ColourEnvironment yes = colour_environment(true);
  EXPECT_EQ(yes.set, (std::vector<std::pair<std::string, std::string>>{{"CLICOLOR_FORCE", "1"}, {"FORCE_COLOR", "1"}}));
  EXPECT_EQ(yes.unset, std::vector<std::string>{"NO_COLOR"});
  ColourEnvironment no = colour_environment(false);
  EXPECT_EQ(no.set, (std::vector<std::pair<std::string, std::string>>{{"NO_COLOR", "1"}}));
  EXPECT_EQ(no.unset, (std::vector<std::string>{"CLICOLOR_FORCE", "FORCE_COLOR"}));
}

TEST(Colour, PaintWrapsTextButNotItsNewline) {
  EXPECT_EQ(paint("bad\n", Paint::red, true), "\033[31mbad\033[0m\n");
  EXPECT_EQ(paint("warn", Paint::yellow, true), "\033[33mwarn\033[0m");
  EXPECT_EQ(paint("bad\n", Paint::red, false), "bad\n");
  EXPECT_TRUE(capable_terminal(nullptr));
  EXPECT_TRUE(capable_terminal("xterm-256color"));
  EXPECT_FALSE(capable_terminal("dumb"));
}

}  // namespace
}  // namespace parstep
