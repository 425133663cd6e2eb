#include <gtest/gtest.h>

#include "progress.h"

namespace parstep {
namespace {

using std::chrono::milliseconds;
using Times = std::vector<std::optional<milliseconds>>;

milliseconds s(double seconds) { return milliseconds(static_cast<long long>(seconds * 1000)); }

TEST(Eta, TheMakespanWorkloadAtTwoJobs) {
  // Longest first, nothing started yet: 4 | 2,1,1 on the other slot, then 1,1,1,1 spread: 6 s.
  EXPECT_EQ(estimate_remaining({}, {s(4), s(2), s(1), s(1), s(1), s(1), s(1), s(1)}, 2), s(6));
  // The given order needs 7 s.
  EXPECT_EQ(estimate_remaining({}, {s(4), s(1), s(1), s(1), s(1), s(1), s(1), s(2)}, 2), s(7));
}

TEST(Eta, RunningStepsCountWhatTheyHaveLeft) {
  EXPECT_EQ(estimate_remaining({s(3), s(1)}, {s(2)}, 2), s(3));
  EXPECT_EQ(estimate_remaining({s(3), s(1)}, {s(2), s(2)}, 2), s(5));
  // A step running longer than expected has nothing left, not less.
  EXPECT_EQ(estimate_remaining({s(-5)}, {s(1)}, 1), s(1));
  EXPECT_EQ(estimate_remaining({}, {}, 4), s(0));
}

TEST(Eta, NoLimitStartsEverythingAtOnce) {
  EXPECT_EQ(estimate_remaining({s(1)}, {s(2), s(3)}, 0), s(3));
}

TEST(Eta, AnUnknownStepMeansNoEstimate) {
  EXPECT_EQ(estimate_remaining({std::nullopt}, {s(1)}, 2), std::nullopt);
  EXPECT_EQ(estimate_remaining({s(1)}, {s(1), std::nullopt}, 2), std::nullopt);
}

TEST(Eta, Text) {
  EXPECT_EQ(eta_text(s(0)), ", ETA 0s");
  EXPECT_EQ(eta_text(milliseconds(1)), ", ETA 1s");
  EXPECT_EQ(eta_text(s(45)), ", ETA 45s");
  EXPECT_EQ(eta_text(s(185)), ", ETA 3m05s");
  EXPECT_EQ(eta_text(s(3720)), ", ETA 1h02m");
}

}  // namespace
}  // namespace parstep
