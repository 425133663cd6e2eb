// End to end: --history, --schedule, --rerun-failed (SPEC 8).
#include <signal.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

using nlohmann::json;

// Steps that append their index to `order` when they start and print
// their name and PARSTEP_INDEX.
std::vector<std::string> ordered_steps(const TempDir& dir, int n) {
  std::vector<std::string> steps;
  for (int i = 0; i < n; ++i)
    steps.push_back("echo " + std::to_string(i) + " >> " + dir.file("order") + "; echo step" + std::to_string(i) +
                    " index $PARSTEP_INDEX");
  return steps;
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST(History, TheSecondRunStartsFailedThenLongestFirstAndPrintsInTheGivenOrder) {
  TempDir dir;
  std::string history = dir.file("h.json");
  auto steps = ordered_steps(dir, 4);
  Result first = run_parstep(with({"-j1", "--history", history}, steps));
  ASSERT_EQ(first.exit_code(), 0) << first.err;
  EXPECT_EQ(read_file(dir.file("order")), "0\n1\n2\n3\n");  // nothing known: the given order

  // What earlier runs would have taught it: step 3 failed, 1 is longest.
  json h = json::parse(read_file(history));
  double seconds[] = {1, 4, 2, 3};
  for (int i = 0; i < 4; ++i) h["steps"][steps[i]]["durations"] = json::array({seconds[i]});
  h["steps"][steps[3]]["last"] = "failed";
  write_file(history, h.dump());
  write_file(dir.file("order"), "");
  Result second = run_parstep(with({"-j1", "--history", history, "-o", "ordered", "--no-header"}, steps));
  ASSERT_EQ(second.exit_code(), 0) << second.err;
  EXPECT_EQ(read_file(dir.file("order")), "3\n1\n2\n0\n");
  EXPECT_EQ(second.out, "step0 index 0\nstep1 index 1\nstep2 index 2\nstep3 index 3\n");

  json after = json::parse(read_file(history));
  EXPECT_EQ(after["version"], 1);
  EXPECT_EQ(after["steps"][steps[3]]["last"], "ok");
  EXPECT_EQ(after["steps"][steps[1]]["durations"].size(), 2u);  // 4, and this run's

  write_file(dir.file("order"), "");
  Result given = run_parstep(with({"-j1", "--history", history, "--schedule", "given"}, steps));
  EXPECT_EQ(read_file(dir.file("order")), "0\n1\n2\n3\n");
}

TEST(History, RerunFailedRunsOnlyWhatDidNotSucceedThenNothing) {
  TempDir dir;
  std::string history = dir.file("h.json");
  std::string flaky = "test -e " + dir.file("fixed");
  std::vector<std::string> steps = {"echo fine", flaky, "echo also fine"};
  EXPECT_EQ(run_parstep(with({"--history", history}, steps)).exit_code(), 1);
  write_file(dir.file("fixed"), "");
  Result rerun = run_parstep(with({"--history", history, "--rerun-failed"}, steps));
  EXPECT_EQ(rerun.exit_code(), 0) << rerun.err;
  EXPECT_EQ(without_durations(rerun.out), "==> " + flaky + " (ok, T)\n");
  Result nothing = run_parstep(with({"--history", history, "--rerun-failed"}, steps));
  EXPECT_EQ(nothing.exit_code(), 0);
  EXPECT_EQ(nothing.out, "");
  EXPECT_EQ(nothing.err, "parstep: no step failed in the last recorded run: nothing to rerun\n");
}

TEST(History, ACorruptFileIsAWarningTheRunGoesOnAndTheFileIsReplaced) {
  TempDir dir;
  std::string history = dir.file("h.json");
  write_file(history, "{\"format\": \"parstep-history\", \"version\": 1, \"steps\": ");
  Result r = run_parstep({"--history", history, "--no-header", "echo ran"});
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.out, "ran\n");
  EXPECT_EQ(r.err, "parstep: warning: history " + history +
                       ": not a parstep history: parse error at line 1, column 54: syntax error while parsing value - "
                       "unexpected end of input; expected '[', '{', or a literal; starting from an empty history\n");
  json h = json::parse(read_file(history));
  EXPECT_EQ(h["steps"]["echo ran"]["last"], "ok");
}

TEST(History, TwoParstepsEndingAtOnceLoseNeithersRecords) {
  TempDir dir;
  std::string history = dir.file("h.json");
  Fifo started(dir.file("started"));
  make_fifo(dir.file("gate_a"));
  make_fifo(dir.file("gate_b"));
  constexpr int kRounds = 25;
  for (int round = 0; round < kRounds; ++round) {
    auto step = [&](const std::string& who) {
      return "echo " + who + " > " + started.path() + "; read x < " + dir.file("gate_" + who) + "; : " + who +
             std::to_string(round);
    };
    Child a = start_parstep({"--history", history, step("a")});
    Child b = start_parstep({"--history", history, step("b")});
    ASSERT_TRUE(started.read_line());
    ASSERT_TRUE(started.read_line());
    release(dir.file("gate_a"));
    release(dir.file("gate_b"));
    EXPECT_EQ(WEXITSTATUS(a.finish()), 0) << a.err;
    EXPECT_EQ(WEXITSTATUS(b.finish()), 0) << b.err;
  }
  json h = json::parse(read_file(history));
  EXPECT_EQ(h["steps"].size(), 2u * kRounds);
  for (const auto& [name, entry] : h["steps"].items()) EXPECT_EQ(entry["last"], "ok") << name;
}

TEST(History, AnInterruptedRunStillRecordsItsSteps) {
  TempDir dir;
  std::string history = dir.file("h.json");
  Fifo started(dir.file("started"));
  make_fifo(dir.file("gate"));
  std::string waits = "echo > " + started.path() + "; read x < " + dir.file("gate");
  Child c = start_parstep({"-j1", "--history", history, "true", waits, "echo never"});
  ASSERT_TRUE(started.read_line());
  kill(c.pid(), SIGINT);
  int status = c.finish();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
  json h = json::parse(read_file(history));
  EXPECT_EQ(h["steps"]["true"]["last"], "ok");
  EXPECT_EQ(h["steps"][waits]["last"], "stopped");
  EXPECT_EQ(h["steps"]["echo never"]["last"], "not_started");
}

TEST(History, AManifestNamesItsHistoryAndTakesDurationStrings) {
  TempDir dir;
  write_file(dir.file("m.json"), "{\"history\": \"" + dir.file("h.json") +
                                     "\", \"timeout\": \"1.5m\", \"steps\": [{\"shell\": \"echo x\", "
                                     "\"silent_timeout\": \"500ms\"}, {\"argv\": [\"true\"], \"timeout\": \"2h\"}]}");
  Result r = run_parstep({"-f", dir.file("m.json")});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  json h = json::parse(read_file(dir.file("h.json")));
  EXPECT_EQ(h["steps"]["echo x"]["last"], "ok");
  EXPECT_EQ(h["steps"]["true"]["last"], "ok");
}

}  // namespace
}  // namespace parstep::test
