// The one spelling of each set of choices (vocabulary.h), the option
// table's choices drawn from it, and the message lines (messages.h).
#include "vocabulary.h"

#include <map>

#include <gtest/gtest.h>

#include "messages.h"
#include "option_table.h"

namespace parstep {
namespace {

TEST(Vocabulary, FindsNamesAndNamesValues) {
  EXPECT_EQ(kOutputNames.find("ordered"), OutputMode::ordered);
  EXPECT_EQ(kOutputNames.find("Ordered"), std::nullopt);
  EXPECT_EQ(kOutputNames.find(""), std::nullopt);
  EXPECT_EQ(kOutputNames.find("group ordered"), std::nullopt);
  EXPECT_EQ(kOnErrorNames.name_of(OnError::keep_going), "continue");
  auto automatic = kCiNames.find("auto");  // found, and standing for no platform yet
  ASSERT_TRUE(automatic.has_value());
  EXPECT_EQ(*automatic, std::nullopt);
  EXPECT_EQ(kCiNames.name_of(CiPlatform::none), "none");
}

TEST(Vocabulary, ListsNamesForMessages) {
  EXPECT_EQ(kQueueFormatNames.listed(), "lines or json");
  EXPECT_EQ(kOnErrorNames.listed(), "continue, finish or halt");
  EXPECT_EQ(kCiNames.listed(), "auto, github, gitlab or none");
}

TEST(Vocabulary, ReportNamesAreTheOptionNames) {
  EXPECT_EQ(to_string(OnError::finish), "finish");
  EXPECT_EQ(to_string(OutputMode::line), "line");
}

TEST(Vocabulary, TheOptionTablesChoicesAreTheVocabularies) {
  std::map<std::string_view, std::string_view> choices;
  for (const OptionSpec& o : option_table())
    if (o.kind == ValueKind::choice) choices[o.long_name] = o.choices;
  EXPECT_EQ(choices, (std::map<std::string_view, std::string_view>{
                         {"on-error", "continue finish halt"},
                         {"schedule", "given longest"},
                         {"queue-format", "lines json"},
                         {"output", "group ordered line"},
                         {"jobserver-style", "auto fifo pipe"},
                         {"ci", "auto github gitlab none"},
                         {"progress", "auto always never"},
                         {"color", "auto always never"},
                     }));
}

TEST(Messages, CarryOnePrefix) {
  EXPECT_EQ(message_line("nothing to rerun"), "parstep: nothing to rerun\n");
  EXPECT_EQ(error_line("-f: cannot read"), "parstep: error: -f: cannot read\n");
  EXPECT_EQ(warning_line("history h: bad", false), "parstep: warning: history h: bad\n");
}

TEST(Messages, AColouredWarningIsYellowUpToTheNewline) {
  EXPECT_EQ(warning_line("history h: bad", true), "\033[33mparstep: warning: history h: bad\033[0m\n");
}

}  // namespace
}  // namespace parstep
