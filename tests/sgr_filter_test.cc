// SgrFilter: SGR sequences out, every other byte kept, across chunk cuts.
#include "sgr_filter.h"

#include <gtest/gtest.h>

namespace parstep {
namespace {

// Feeds `text` in chunks of `size` bytes, then finishes.
std::string in_chunks(std::string_view text, std::size_t size) {
  SgrFilter filter;
  std::string out;
  for (std::size_t at = 0; at < text.size(); at += size) filter.feed(text.substr(at, size), out);
  filter.finish(out);
  return out;
}

TEST(SgrFilter, RemovesColourAndKeepsText) {
  EXPECT_EQ(strip_sgr("\x1b[1;31merror:\x1b[0m bad\n"), "error: bad\n");
  EXPECT_EQ(strip_sgr("\x1b[m\x1b[38;5;196mx\x1b[38:2::255:0:0my"), "xy");
  EXPECT_EQ(strip_sgr("plain text, no escape\n"), "plain text, no escape\n");
  EXPECT_EQ(strip_sgr(""), "");
}

TEST(SgrFilter, SameResultWhereverTheChunksAreCut) {
  std::string text = "a\x1b[01;32mgreen\x1b[0m\x1b[2K\r\x1b[?25lb\x1b[1;31m\n\x1b";
  std::string expected = "agreen\x1b[2K\r\x1b[?25lb\n\x1b";
  for (std::size_t size = 1; size <= text.size(); ++size) EXPECT_EQ(in_chunks(text, size), expected) << size;
}

TEST(SgrFilter, KeepsOtherSequences) {
  EXPECT_EQ(strip_sgr("\x1b[2K\x1b[1A\x1b[10;20H"), "\x1b[2K\x1b[1A\x1b[10;20H");
  EXPECT_EQ(strip_sgr("\x1b[?1049h\x1b[>4;1m\x1b[1 m"), "\x1b[?1049h\x1b[>4;1m\x1b[1 m");  // private or intermediate: not SGR
  EXPECT_EQ(strip_sgr("\x1b]0;title\x07\x1b(B\x1b" "7"), "\x1b]0;title\x07\x1b(B\x1b" "7");
}

TEST(SgrFilter, KeepsMalformedSequencesAsText) {
  EXPECT_EQ(strip_sgr("\x1b[31\nx"), "\x1b[31\nx");        // a control byte ends it
  EXPECT_EQ(strip_sgr("\x1b[31\x1b[32mx"), "\x1b[31x");    // and an ESC starts another
  EXPECT_EQ(strip_sgr("\x1b\x1b[1mx"), "\x1bx");
  EXPECT_EQ(strip_sgr("\x1b[31\x80m"), "\x1b[31\x80m");
}

TEST(SgrFilter, HoldsAnUnfinishedSequenceUntilTheEnd) {
  SgrFilter filter;
  std::string out;
  filter.feed("ok\x1b", out);
  EXPECT_EQ(out, "ok");
  filter.feed("[3", out);
  EXPECT_EQ(out, "ok");
  filter.finish(out);
  EXPECT_EQ(out, "ok\x1b[3");
  EXPECT_EQ(strip_sgr("lone escape at the end\x1b"), "lone escape at the end\x1b");
}

TEST(SgrFilter, AnOverlongSequenceIsText) {
  std::string digits(SgrFilter::kMaxHeld * 2, '1');
  std::string text = "\x1b[" + digits + "m";
  EXPECT_EQ(strip_sgr(text), text);
  EXPECT_EQ(in_chunks(text, 7), text);
}

TEST(SgrFilter, TellsWhetherWhatPassedEndsALine) {
  SgrFilter filter;
  std::string out;
  EXPECT_TRUE(filter.at_line_start());
  filter.feed("x\n\x1b[0m", out);
  EXPECT_TRUE(filter.at_line_start());
  filter.feed("y", out);
  EXPECT_FALSE(filter.at_line_start());
}

TEST(SgrFilter, PassesEveryByteValueOutsideSequences) {
  std::string all;
  for (int c = 0; c < 256; ++c)
    if (c != 0x1b) all += static_cast<char>(c);
  EXPECT_EQ(in_chunks(all + all, 13), all + all);
}

}  // namespace
}  // namespace parstep
