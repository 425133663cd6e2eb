#include "words.h"

#include <gtest/gtest.h>

namespace parstep {
namespace {

using Words = std::vector<std::string>;

std::string error_of(const std::string& text) {
  try {
    split_words(text);
  } catch (const WordsError& e) {
    return e.what();
  }
  return "no error";
}

TEST(SplitWords, SplitsAtBlanksAndKeepsEverythingElse) {
  EXPECT_EQ(split_words("srun --quiet --ntasks=1 --"), (Words{"srun", "--quiet", "--ntasks=1", "--"}));
  EXPECT_EQ(split_words("  a\t b\n"), (Words{"a", "b"}));
  EXPECT_EQ(split_words(""), Words{});
  EXPECT_EQ(split_words(" \t\n"), Words{});
  EXPECT_EQ(split_words("$HOME * ~ a;b"), (Words{"$HOME", "*", "~", "a;b"}));  // no expansion
}

TEST(SplitWords, QuotesAsAShellReadsThem) {
  EXPECT_EQ(split_words("ssh 'build host' \"a b\""), (Words{"ssh", "build host", "a b"}));
  EXPECT_EQ(split_words("--x='a b'c \"\" ''"), (Words{"--x=a bc", "", ""}));
  EXPECT_EQ(split_words(R"('a\b' "it's" 'say "hi"')"), (Words{"a\\b", "it's", "say \"hi\""}));
  EXPECT_EQ(split_words(R"("\"\\\$\`" "\n\a")"), (Words{"\"\\$`", "\\n\\a"}));
  EXPECT_EQ(split_words(R"(a\ b \' \\ \")"), (Words{"a b", "'", "\\", "\""}));
}

TEST(SplitWords, AnUnterminatedQuoteOrTrailingBackslashIsAnError) {
  EXPECT_EQ(error_of("srun 'x"), "unterminated ' quote");
  EXPECT_EQ(error_of("a \"b\\\""), "unterminated \" quote");
  EXPECT_EQ(error_of("a\\"), "a backslash ends it");
}

}  // namespace
}  // namespace parstep
