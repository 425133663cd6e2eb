#include "queue_reader.h"

#include <unistd.h>

#include <gtest/gtest.h>

namespace parstep {
namespace {

std::vector<std::string> names(const std::vector<StepSpec>& steps) {
  std::vector<std::string> result;
  for (const auto& s : steps) result.push_back(s.name + "=" + s.command);
  return result;
}

TEST(QueueReader, HandsOutEachLineAsSoonAsItIsComplete) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  QueueReader q(p[0]);
  ASSERT_EQ(write(p[1], "echo a\necho", 11), 11);
  EXPECT_EQ(names(q.read()), (std::vector<std::string>{"echo a=echo a"}));
  ASSERT_EQ(write(p[1], " b\n\n   \necho a\r\nlast", 20), 20);
  EXPECT_EQ(names(q.read()), (std::vector<std::string>{"echo b=echo b", "echo a #2=echo a"}));
  close(p[1]);
  EXPECT_FALSE(q.at_end());
  EXPECT_EQ(names(q.read()), (std::vector<std::string>{"last=last"}));
  EXPECT_TRUE(q.at_end());
  close(p[0]);
}

}  // namespace
}  // namespace parstep
