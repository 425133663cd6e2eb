// --help and --version (tool/help.cpp): made from the option table, with
// the layout issue 17 asks for.
#include "help.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "option_table.h"
#include "test_util.h"

namespace parstep {
namespace {

using test::lines_of;

TEST(Help, NoLineEndsInASpaceOrIsWiderThan80Columns) {
  for (const std::string& line : lines_of(help_text(64))) {
    EXPECT_FALSE(line.ends_with(' ')) << "'" << line << "'";
    EXPECT_LE(line.size(), 80u) << line;
  }
}

TEST(Help, ShowsTheThreeFormsTheDefaultJobsAndTheSections) {
  std::string help = help_text(37);
  EXPECT_TRUE(help.starts_with("Usage: parstep [OPTIONS] [--] COMMAND...\n"
                               "       parstep [OPTIONS] -f MANIFEST\n"
                               "       parstep [OPTIONS] < COMMANDS\n"))
      << help;
  EXPECT_NE(help.find(", here 37)\n"), std::string::npos) << help;
  std::size_t at = 0;
  for (const char* heading : {"\nRunning:\n", "\nOutput:\n", "\nLimits:\n", "\nRecords:\n", "\nJobserver:\n",
                              "\nTerminal:\n", "\nExit status:\n", "\nEnvironment:\n", "\nExamples:\n"}) {
    at = help.find(heading, at);
    EXPECT_NE(at, std::string::npos) << heading << " missing or out of order";
  }
}

TEST(Help, ListsEveryOptionOfTheTableOnceAtTheStartOfALine) {
  std::string help = help_text(2);
  for (const OptionSpec& o : option_table()) {
    std::string label = (o.short_name.empty() ? std::string("      --") : "  -" + std::string(o.short_name) + ", --") +
                        std::string(o.long_name) + (o.value.empty() ? "" : " " + std::string(o.value));
    std::size_t at = help.find("\n" + label + (label.size() <= 27 ? " " : "\n"));
    EXPECT_NE(at, std::string::npos) << label;
  }
}

TEST(Help, OptionNamesAreUnique) {
  std::set<std::string_view> names;
  for (const OptionSpec& o : option_table()) {
    EXPECT_TRUE(names.insert(o.long_name).second) << o.long_name;
    if (!o.short_name.empty()) {
      EXPECT_TRUE(names.insert(o.short_name).second) << o.short_name;
    }
    EXPECT_EQ(o.kind == ValueKind::none, o.value.empty()) << o.long_name;
    EXPECT_EQ(o.kind == ValueKind::choice, !o.choices.empty()) << o.long_name;
  }
}

TEST(Help, WrapBreaksBetweenWordsAndIndentsFollowingLines) {
  EXPECT_EQ(wrap("aa bb cc dd", 5, 2), "aa bb\n  cc dd\n");
  EXPECT_EQ(wrap("a  verylongword b", 4, 1), "a\n verylongword\n b\n");
  EXPECT_EQ(wrap("", 4, 1), "\n");
}

TEST(Version, IsInGnuForm) {
  std::vector<std::string> lines = lines_of(version_text());
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[0], "parstep " PARSTEP_VERSION_FOR_TESTS);
  EXPECT_EQ(lines[2], "License MIT: <https://opensource.org/license/mit>");
}

}  // namespace
}  // namespace parstep
