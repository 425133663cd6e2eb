// The progress views: the terminal's live view and the heartbeat line.
#include "progress.h"

#include <gtest/gtest.h>

namespace parstep {
namespace {

using namespace std::chrono_literals;

TEST(Progress, ElapsedTimesReadLikeAClock) {
  EXPECT_EQ(format_elapsed(0s), "0s");
  EXPECT_EQ(format_elapsed(59900ms), "59s");
  EXPECT_EQ(format_elapsed(65s), "1m05s");
  EXPECT_EQ(format_elapsed(2h + 3min + 4s), "2h03m");
}

TEST(Progress, HeartbeatsArePlainText) {
  EXPECT_EQ(heartbeat_text(3, 10, {{"compile", 65s}, {"lint\x1b[31m\r\n", 12s}}),
            "parstep: still running (3 of 10 done): compile (1m05s), lint [31m   (12s)\n");
  EXPECT_EQ(heartbeat_text(0, 1, {}), "parstep: still running (0 of 1 done):\n");
}

TEST(Progress, OneLinePerRunningStepWhenTheTerminalIsTallEnough) {
  std::vector<RunningStep> running{{"compile", 65s}, {"lint", 12s}};
  EXPECT_EQ(progress_view(3, 10, running, 79, 24), "[3/10] running:\n  compile  1m05s\n  lint  12s");
  // Five rows hold no three lines in half of them: the one-line form.
  EXPECT_EQ(progress_view(3, 10, running, 79, 5), "[3/10] running: compile, lint 65s");
  // Long names are cut so that every line fits the width.
  std::string view = progress_view(0, 1, {{std::string(100, 'x'), 1s}}, 20, 24);
  EXPECT_EQ(view, "[0/1] running:\n  xxxxxxxxxxxxxx  1s");
  EXPECT_EQ(progress_view(10, 10, {}, 79, 24), "[10/10]");
}

}  // namespace
}  // namespace parstep
