#include "duration.h"

#include <gtest/gtest.h>

namespace parstep {
namespace {

using std::chrono::milliseconds;

TEST(Duration, NumbersWithUnitsAndBareSeconds) {
  EXPECT_EQ(parse_duration("500ms"), milliseconds(500));
  EXPECT_EQ(parse_duration("90"), milliseconds(90000));
  EXPECT_EQ(parse_duration("1.5m"), milliseconds(90000));
  EXPECT_EQ(parse_duration("2h"), milliseconds(7200000));
  EXPECT_EQ(parse_duration("0.25s"), milliseconds(250));
  EXPECT_EQ(parse_duration(".5"), milliseconds(500));
  EXPECT_EQ(parse_duration("3."), milliseconds(3000));
  EXPECT_EQ(parse_duration("0"), milliseconds(0));
  EXPECT_EQ(parse_duration("0.0004"), milliseconds(0));  // rounded to milliseconds
  EXPECT_EQ(parse_duration("1.0005s"), milliseconds(1001));
}

TEST(Duration, AnythingElseIsRejected) {
  for (const char* bad : {"", "5x", "-1s", "-1", "+1", "1e3", "nan", "inf", "1 s", " 1", "1s ", "s", "ms", ".",
                          "1..2", "1.2.3", "0x10", "1S", "1min", "1sec", "10000000001", "2778h"}) {
    EXPECT_EQ(parse_duration(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(parse_duration("10000000"), milliseconds(10000000000LL));  // the longest there is
}

TEST(Duration, JsonNumbersAreSeconds) {
  EXPECT_EQ(duration_from_seconds(0.5), milliseconds(500));
  EXPECT_EQ(duration_from_seconds(-1), std::nullopt);
  EXPECT_EQ(duration_from_seconds(1e300), std::nullopt);
}

}  // namespace
}  // namespace parstep
