#include "line_splitter.h"

#include <gtest/gtest.h>

namespace parstep {
namespace {

using Lines = std::vector<LineSplitter::Line>;

TEST(LineSplitter, FindsLinesAcrossChunks) {
  LineSplitter s;
  Lines lines;
  s.feed("ab\ncd", lines);
  EXPECT_EQ(lines, (Lines{{0, 3}}));
  s.feed("ef\n\ng", lines);
  EXPECT_EQ(lines, (Lines{{0, 3}, {3, 8}, {8, 9}}));
  EXPECT_EQ(s.finish(), (LineSplitter::Line{9, 10}));
}

TEST(LineSplitter, NoFinalLineWhenTheStreamEndsWithNewline) {
  LineSplitter s;
  Lines lines;
  s.feed("x\n", lines);
  EXPECT_FALSE(s.finish());
}

TEST(LineSplitter, ALongLineCostsOnlyOffsets) {
  LineSplitter s;
  Lines lines;
  std::string chunk(1 << 20, 'x');
  for (int i = 0; i < 8; ++i) s.feed(chunk, lines);
  EXPECT_TRUE(lines.empty());
  s.feed("\n", lines);
  EXPECT_EQ(lines, (Lines{{0, (8u << 20) + 1}}));
}

TEST(LineSplitter, BinaryBytesAreNotLineEnds) {
  LineSplitter s;
  Lines lines;
  s.feed(std::string("a\0\r\xff\n", 5), lines);
  EXPECT_EQ(lines, (Lines{{0, 5}}));
}

}  // namespace
}  // namespace parstep
