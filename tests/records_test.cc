// Unit tests for what parstep writes besides stdout: report, trace, log
// names, progress text.
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <unordered_set>

#include "json_position.h"
#include "log_dir.h"
#include "progress.h"
#include "report.h"
#include "test_util.h"
#include "trace.h"

namespace parstep {
namespace {

using namespace std::chrono_literals;

TEST(Report, HoldsEveryFieldOfSpecSectionFive) {
  std::vector<StepSpec> steps(2);
  steps[0].name = "a";
  steps[0].command = "echo a";
  steps[1].name = "b";
  steps[1].argv = {"b", "x y"};
  std::vector<StepResult> results(2);
  results[0].status = StepStatus::failed;
  results[0].exit = ExitStatus::exited(3);
  results[0].attempts = 2;
  results[0].slot = 1;
  results[0].output_bytes = 12;
  results[0].duration = 1500ms;
  results[0].started_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1795317301123));
  std::vector<std::string> logs{"logs/a.log", "logs/b.log"};
  ReportInput in;
  in.started_at = results[0].started_at;
  in.duration = 2s;
  in.jobs = 4;
  in.on_error = OnError::halt;
  in.exit_code = 1;
  in.steps = &steps;
  in.results = &results;
  in.logs = &logs;
  auto r = nlohmann::json::parse(report_json(in));
  EXPECT_EQ(r["parstep_version"], PARSTEP_VERSION_FOR_TESTS);
  EXPECT_EQ(r["started_at"], "2026-11-22T03:15:01.123Z");
  EXPECT_EQ(r["duration_s"], 2.0);
  EXPECT_EQ(r["jobs"], 4);
  EXPECT_EQ(r["on_error"], "halt");
  EXPECT_EQ(r["exit_code"], 1);
  auto a = r["steps"][0];
  EXPECT_EQ(a["name"], "a");
  EXPECT_EQ(a["index"], 0);
  EXPECT_EQ(a["command"], "echo a");
  EXPECT_EQ(a["status"], "failed");
  EXPECT_EQ(a["exit_code"], 3);
  EXPECT_TRUE(a["signal"].is_null());
  EXPECT_EQ(a["started_at"], "2026-11-22T03:15:01.123Z");
  EXPECT_EQ(a["duration_s"], 1.5);
  EXPECT_EQ(a["attempts"], 2);
  EXPECT_EQ(a["slot"], 1);
  EXPECT_EQ(a["output_bytes"], 12);
  EXPECT_EQ(a["log"], "logs/a.log");
  auto b = r["steps"][1];
  EXPECT_EQ(b["argv"], nlohmann::json::array({"b", "x y"}));
  EXPECT_FALSE(b.contains("command"));
  EXPECT_EQ(b["status"], "not_started");
  EXPECT_TRUE(b["exit_code"].is_null());
  EXPECT_TRUE(b["started_at"].is_null());
  EXPECT_EQ(b["attempts"], 0);
}

TEST(Trace, IsOneCompleteEventPerAttemptOnItsSlot) {
  std::vector<StepSpec> steps(1);
  steps[0].name = "compile";
  steps[0].command = "cc a.c";
  std::vector<TraceEvent> events{{0, 1, 2, 1000us, 5000us, StepStatus::failed},
                                 {0, 2, 1, 7000us, 2000us, StepStatus::ok}};
  auto t = nlohmann::json::parse(trace_json(events, steps));
  auto list = t["traceEvents"];
  std::vector<nlohmann::json> complete;
  for (const auto& e : list)
    if (e["ph"] == "X") complete.push_back(e);
  ASSERT_EQ(complete.size(), 2u);
  EXPECT_EQ(complete[0]["name"], "compile");
  EXPECT_EQ(complete[0]["tid"], 2);
  EXPECT_EQ(complete[0]["ts"], 1000);
  EXPECT_EQ(complete[0]["dur"], 5000);
  EXPECT_EQ(complete[0]["args"]["status"], "failed");
  EXPECT_EQ(complete[1]["args"]["attempt"], 2);
  EXPECT_EQ(list.size(), 4u);  // plus a thread_name record per slot
}

TEST(LogDir, NamesAreSafeAndDistinct) {
  EXPECT_EQ(safe_file_name("make -C a/b"), "make_-C_a_b");
  EXPECT_EQ(safe_file_name(".."), "_..");
  EXPECT_EQ(safe_file_name(""), "_");
  EXPECT_EQ(safe_file_name(std::string(300, 'x')).size(), 100u);
}

// 20,000 names that collide after the cut to 100 bytes: each gets its own
// file, numbered in order (took 23 s when every name rescanned the suffixes).
TEST(LogDir, ManyCollidingNamesGetDistinctNumberedFiles) {
  test::TempDir dir;
  LogDir logs(dir.path());
  std::string prefix(100, 'p');
  EXPECT_EQ(logs.path_for(prefix + "-2"), dir.path() + "/" + prefix + ".log");  // cut: the "-2" is gone
  EXPECT_EQ(logs.path_for("x-2"), dir.path() + "/x-2.log");
  EXPECT_EQ(logs.path_for("x"), dir.path() + "/x.log");
  EXPECT_EQ(logs.path_for("x"), dir.path() + "/x-3.log");  // x-2 is taken by a real name
  std::unordered_set<std::string> paths;
  for (int n = 0; n < 20000; ++n) paths.insert(logs.path_for(prefix + std::to_string(n)));
  EXPECT_EQ(paths.size(), 20000u);
  EXPECT_TRUE(paths.contains(dir.path() + "/" + prefix + "-20001.log"));
}

TEST(Progress, FitsTheWidthAndCountsWhatItLeavesOut) {
  EXPECT_EQ(progress_text(3, 10, {"a", "b"}, 12s, 80), "[3/10] running: a, b 12s");
  EXPECT_EQ(progress_text(3, 10, {"compile", "lint", "package", "docs"}, 2s, 37),
            "[3/10] running: compile, lint (+2) 2s");
  EXPECT_EQ(progress_text(3, 10, {"compile", "lint", "package", "docs"}, 2s, 36),
            "[3/10] running: compile (+3) 2s");
  EXPECT_EQ(progress_text(10, 10, {}, 0s, 80), "[10/10]");
  EXPECT_EQ(progress_text(0, 1, {"a\nb"}, 0s, 80), "[0/1] running: a b 0s");
  EXPECT_EQ(progress_text(0, 1, {std::string(200, 'x')}, 0s, 40).size(), 40u);
}

TEST(JsonPosition, FindsKeysAndElementsAlongAPath) {
  std::string text = "{\"a\": [1, {\"b\": \"x\\\"}\"}, [2]],\n \"c\": {\"d\": true}}";
  EXPECT_EQ(find_json_path(text, {std::string("a")}), 1u);
  EXPECT_EQ(find_json_path(text, {std::string("a"), std::size_t{2}}), 25u);
  EXPECT_EQ(find_json_path(text, {std::string("c"), std::string("d")}), 38u);
  EXPECT_EQ(find_json_path(text, {std::string("missing")}), std::nullopt);
  auto p = position_of(text, 38);
  EXPECT_EQ(p.line, 2u);
  EXPECT_EQ(p.column, 8u);
  EXPECT_EQ(format_json_path({std::string("steps"), std::size_t{2}, std::string("timeout")}), "steps[2].timeout");
  // Keys are compared decoded: escapes, and a surrogate pair as 4-byte UTF-8.
  std::string escaped = R"({"a\"b": 1, "\ud83d\ude00": 2, "t\tab": 3})";
  EXPECT_EQ(find_json_path(escaped, {std::string("a\"b")}), 1u);
  EXPECT_EQ(find_json_path(escaped, {std::string("\xf0\x9f\x98\x80")}), 12u);
  EXPECT_EQ(find_json_path(escaped, {std::string("t\tab")}), 31u);
}

}  // namespace
}  // namespace parstep
