// End to end: --queue-format json, one manifest step per stdin line (SPEC 3).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_util.h"

namespace parstep::test {
namespace {

TEST(QueueJson, EachLineIsOneManifestStepInTheGivenOrder) {
  Child::Options o;
  o.stdin_data = "\"echo shell\"\n"
                 "{\"argv\": [\"printf\", \"<%s>\\n\", \"a b\", \"$HOME\", \"\\u00fc\", \"new\\nline\"]}\n"
                 "\n"
                 "{\"name\": \"env\", \"shell\": \"echo $K\", \"env\": {\"K\": \"v\"}}\n";
  Result r = run_parstep({"--queue-format", "json", "-o", "ordered", "--no-header", "-j2"}, o);
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.out, "shell\n<a b>\n<$HOME>\n<\xc3\xbc>\n<new\nline>\nv\n");
  EXPECT_EQ(r.err, "");
}

TEST(QueueJson, ABadLineFailsToStartAndTheRunGoesOn) {
  TempDir dir;
  std::string report = dir.file("r.json");
  Child::Options o;
  o.stdin_data = "\"echo first\"\n"
                 "{\"argv\": []}\n"
                 "{\"shell\": \"echo x\", \"timout\": 3}\n"
                 "[1\n"
                 "{\"name\": \"n\", \"shell\": \"echo n\"}\n"
                 "{\"name\": \"n\", \"argv\": [\"true\"]}\n"
                 "\"echo last\"\n";
  Result r = run_parstep({"--queue-format", "json", "-o", "ordered", "-j1", "--report", report}, o);
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(without_durations(r.out),
            "==> echo first (ok, T)\nfirst\n"
            "==> {\"argv\": []} (FAILED: could not start: <stdin>:2:2: argv: expected a non-empty array of strings, T)\n"
            "==> {\"shell\": \"echo x\", \"timout\": 3} (FAILED: could not start: <stdin>:3:21: timout: unknown key, T)\n"
            "==> [1 (FAILED: could not start: <stdin>:4:3: syntax error while parsing array - unexpected end of "
            "input; expected ']', T)\n"
            "==> n (ok, T)\nn\n"
            "==> {\"name\": \"n\", \"argv\": [\"true\"]} (FAILED: could not start: <stdin>:6:2: name: \"n\" is also "
            "the name of an earlier step, T)\n"
            "==> echo last (ok, T)\nlast\n");
  EXPECT_EQ(r.err,
            "parstep: 4 of 7 steps did not succeed:\n"
            "  {\"argv\": []}: could not start: <stdin>:2:2: argv: expected a non-empty array of strings\n"
            "  {\"shell\": \"echo x\", \"timout\": 3}: could not start: <stdin>:3:21: timout: unknown key\n"
            "  [1: could not start: <stdin>:4:3: syntax error while parsing array - unexpected end of input; "
            "expected ']'\n"
            "  {\"name\": \"n\", \"argv\": [\"true\"]}: could not start: <stdin>:6:2: name: \"n\" is also the name of "
            "an earlier step\n");
  auto steps = nlohmann::json::parse(read_file(report))["steps"];
  ASSERT_EQ(steps.size(), 7u);
  EXPECT_EQ(steps[1]["status"], "error");
  EXPECT_EQ(steps[4]["name"], "n");
  EXPECT_EQ(steps[4]["status"], "ok");
}

TEST(QueueJson, AStepsOwnLimitsApplyUnlessTheCommandLineSetsThem) {
  Child::Options o;
  o.stdin_data = "{\"shell\": \"echo try; exit 1\", \"retries\": 2}\n";
  Result own = run_parstep({"--queue-format", "json"}, o);
  EXPECT_EQ(without_durations(own.out), "==> echo try; exit 1 (FAILED: exit 1, attempt 3 of 3, T)\ntry\n");
  Result overridden = run_parstep({"--queue-format", "json", "--retries", "0"}, o);
  EXPECT_EQ(without_durations(overridden.out), "==> echo try; exit 1 (FAILED: exit 1, T)\ntry\n");
}

TEST(QueueJson, OnlyQueueModeTakesIt) {
  Result r = run_parstep({"--queue-format", "json", "echo a"});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.err, "parstep: error: --queue-format json applies to steps read from stdin: give no COMMAND and no "
                   "-f with it\n");
  r = run_parstep({"--queue-format", "yaml"});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.err, "parstep: error: --queue-format: expected lines or json, got 'yaml'\n");
}

}  // namespace
}  // namespace parstep::test
