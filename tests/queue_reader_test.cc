#include "queue_reader.h"

#include "manifest.h"

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

TEST(QueueReader, JsonLinesAreManifestStepsAndBadOnesCannotStart) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  Settings command_line;
  command_line.timeout = std::chrono::seconds(5);
  StepSpec prototype;
  apply_step_settings(prototype, command_line);
  QueueReader q(p[0], prototype, QueueFormat::json, command_line);
  std::string input = "{\"argv\": [\"a\", \"b\"], \"timeout\": 9, \"retries\": 2}\n\n\"a b\"\n{\"argv\": 3}\n";
  ASSERT_EQ(write(p[1], input.data(), input.size()), static_cast<ssize_t>(input.size()));
  close(p[1]);
  std::vector<StepSpec> steps = q.read();
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].name, "a b");
  EXPECT_EQ(steps[0].argv, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(steps[0].timeout, std::chrono::seconds(5));  // the command line wins
  EXPECT_EQ(steps[0].retries, 2u);
  EXPECT_EQ(steps[1].name, "a b #2");
  EXPECT_EQ(steps[1].command, "a b");
  EXPECT_EQ(steps[1].start_error, "");
  EXPECT_EQ(steps[2].name, "{\"argv\": 3}");
  EXPECT_EQ(steps[2].start_error, "<stdin>:4:2: argv: expected a non-empty array of strings");
  EXPECT_TRUE(q.may_retry());
  close(p[0]);
}

}  // namespace
}  // namespace parstep
