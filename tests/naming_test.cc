#include "naming.h"

#include <gtest/gtest.h>

namespace parstep {
namespace {

TEST(StepNamer, RepeatedDefaultNamesGetNumberSuffixes) {
  StepNamer n;
  EXPECT_EQ(n.add_default("make"), "make");
  EXPECT_EQ(n.add_default("lint"), "lint");
  EXPECT_EQ(n.add_default("make"), "make #2");
  EXPECT_EQ(n.add_default("make"), "make #3");
}

TEST(StepNamer, ASuffixNeverCollidesWithAGivenName) {
  StepNamer n;
  EXPECT_EQ(n.add_default("a #2"), "a #2");
  EXPECT_EQ(n.add_default("a"), "a");
  EXPECT_EQ(n.add_default("a"), "a #3");
  EXPECT_EQ(n.add_default("a #2"), "a #2 #2");
}

}  // namespace
}  // namespace parstep
