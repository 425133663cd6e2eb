#include "history.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep {
namespace {

using std::chrono::milliseconds;
using test::read_file;
using test::TempDir;
using test::write_file;

StepSpec shell_step(const std::string& name, const std::string& command) {
  StepSpec s;
  s.name = name;
  s.command = command;
  return s;
}

TEST(History, RecordsDurationsOfSuccessesAndTheLastResult) {
  History h;
  StepSpec a = shell_step("a", "make a");
  h.record(a, {StepStatus::ok, milliseconds(2000)}, "t1");
  h.record(a, {StepStatus::ok, milliseconds(4000)}, "t2");
  h.record(a, {StepStatus::ok, milliseconds(3000)}, "t3");
  EXPECT_EQ(h.expected(a), milliseconds(3000));  // the median
  EXPECT_FALSE(h.failed_last_time("a"));
  h.record(a, {StepStatus::failed, std::nullopt}, "t4");
  EXPECT_TRUE(h.failed_last_time("a"));
  EXPECT_TRUE(h.last_not_ok("a"));
  EXPECT_EQ(h.expected(a), milliseconds(3000));  // a failure adds no duration
  EXPECT_EQ(h.entries().at("a").at, "t4");
}

TEST(History, KeepsOnlyTheMostRecentDurations) {
  History h;
  StepSpec a = shell_step("a", "x");
  for (int i = 1; i <= 8; ++i) h.record(a, {StepStatus::ok, milliseconds(i * 1000)}, "t");
  EXPECT_EQ(h.entries().at("a").seconds, (std::vector<double>{4, 5, 6, 7, 8}));
  EXPECT_EQ(h.expected(a), milliseconds(6000));
}

TEST(History, AnotherCommandMakesTheStepUnknownAgain) {
  History h;
  h.record(shell_step("gen", "gen --fast"), {StepStatus::ok, milliseconds(1000)}, "t");
  EXPECT_EQ(h.expected(shell_step("gen", "gen --slow")), std::nullopt);
  StepSpec argv_step;
  argv_step.name = "gen";
  argv_step.argv = {"gen --fast"};  // the same text, but an argv step
  EXPECT_EQ(h.expected(argv_step), std::nullopt);
  h.record(shell_step("gen", "gen --slow"), {StepStatus::ok, milliseconds(5000)}, "t");
  EXPECT_EQ(h.entries().at("gen").seconds, (std::vector<double>{5}));
}

TEST(History, StoppedAndNotStartedAreNotOkButNotFailures) {
  History h;
  h.record(shell_step("s", "s"), {StepStatus::stopped, std::nullopt}, "t");
  h.record(shell_step("n", "n"), {StepStatus::not_started, std::nullopt}, "t");
  for (const char* name : {"s", "n"}) {
    EXPECT_TRUE(h.last_not_ok(name));
    EXPECT_FALSE(h.failed_last_time(name));
  }
  EXPECT_FALSE(h.last_not_ok("unknown"));
}

TEST(History, RoundTripsThroughItsVersionedFormat) {
  History h;
  h.record(shell_step("a \"quoted\"\nname", "echo a"), {StepStatus::ok, milliseconds(1234)}, "2026-01-01T00:00:00.000Z");
  h.record(shell_step("b", "false"), {StepStatus::failed, std::nullopt}, "2026-01-01T00:00:00.000Z");
  std::string text = h.to_json();
  EXPECT_NE(text.find("\"format\": \"parstep-history\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"version\": 1"), std::string::npos) << text;
  History back = History::parse(text);
  EXPECT_EQ(back.to_json(), text);
  EXPECT_EQ(back.expected(shell_step("a \"quoted\"\nname", "echo a")), milliseconds(1234));
}

TEST(History, WhatIsNotAHistoryIsRejectedWithAReason) {
  for (const char* bad : {"", "garbage", "[]", "{\"format\": \"parstep-history\", \"version\": 2, \"steps\": {}}",
                          "{\"version\": 1, \"steps\": {}}",
                          "{\"format\": \"parstep-history\", \"version\": 1, \"steps\": []}",
                          "{\"format\": \"parstep-history\", \"version\": 1, \"steps\": {\"a\": {\"command\": \"x\", "
                          "\"last\": \"ok\", \"durations\": [-1]}}}"}) {
    EXPECT_THROW(History::parse(bad), HistoryError) << bad;
  }
}

TEST(History, AMissingFileIsEmptyAndACorruptOneIsEmptyWithAWarning) {
  TempDir dir;
  std::string warning = "x";
  EXPECT_TRUE(load_history(dir.file("none.json"), warning).entries().empty());
  EXPECT_EQ(warning, "");
  write_file(dir.file("bad.json"), "{\"format\": \"parstep-history\", \"version\": 1, \"steps\": {\"a\": 3}}");
  EXPECT_TRUE(load_history(dir.file("bad.json"), warning).entries().empty());
  EXPECT_EQ(warning, "not a parstep history: steps[\"a\"]: expected an object");
  EXPECT_TRUE(load_history(dir.path(), warning).entries().empty());  // a directory
  EXPECT_EQ(warning, "cannot read it: Is a directory");
}

TEST(History, SavingMergesWithWhatOthersWroteMeanwhile) {
  TempDir dir;
  std::string path = dir.file("h.json");
  save_history(path, {shell_step("mine", "a")}, {{StepStatus::ok, milliseconds(1000)}});
  save_history(path, {shell_step("theirs", "b")}, {{StepStatus::failed, std::nullopt}});
  std::string warning;
  History h = load_history(path, warning);
  EXPECT_EQ(warning, "");
  EXPECT_EQ(h.expected(shell_step("mine", "a")), milliseconds(1000));
  EXPECT_TRUE(h.failed_last_time("theirs"));
}

TEST(History, SavingReplacesACorruptFile) {
  TempDir dir;
  std::string path = dir.file("h.json");
  write_file(path, "{ truncated");
  save_history(path, {shell_step("a", "a")}, {{StepStatus::ok, milliseconds(500)}});
  std::string warning;
  EXPECT_EQ(load_history(path, warning).expected(shell_step("a", "a")), milliseconds(500));
  EXPECT_EQ(warning, "");
}

TEST(History, CommandHashIsStable) {
  // Stored in files: it must not change between builds or machines.
  EXPECT_EQ(command_hash(shell_step("x", "true")), "55c97bcbe6138e3f");
}

}  // namespace
}  // namespace parstep
