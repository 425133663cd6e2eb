// SPEC 6: which jobserver a run joins, serves or falls back from, and what
// then limits it; the environment and the warning sink are given, nothing
// is forked.
#include "jobserver_policy.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include "test_util.h"
#include "usage_error.h"

namespace parstep {
namespace {

using Env = std::vector<std::pair<std::string, std::string>>;

/// The warnings a policy call wrote, in order.
struct Warnings {
  std::vector<std::string> lines;
  WarningSink sink() {
    return [this](const std::string& line) { lines.push_back(line); };
  }
};

// Served pools are fifos here: the automatic style would ask `make --version`.
JobserverRequest asked(bool serve, bool jobs_given) {
  JobserverRequest request;
  request.serve = serve;
  request.style = JobserverStyle::fifo;
  request.jobs_given = jobs_given;
  return request;
}

RunOptions with_jobs(unsigned jobs) {
  RunOptions run;
  run.jobs = jobs;
  return run;
}

constexpr const char* kDeadFifo = "-j3 -k --jobserver-auth=fifo:/nonexistent/parstep-test/fifo";
constexpr const char* kDeadFifoWarning =
    "parstep: warning: the jobserver in MAKEFLAGS is unusable: its fifo /nonexistent/parstep-test/fifo cannot be "
    "opened: No such file or directory; running at most 3 steps at once\n";

TEST(JobserverPolicy, NoJobserverAndNoneAskedForChangesNothing) {
  Warnings warnings;
  RunOptions run = with_jobs(4);
  attach_jobserver({}, Surroundings{.makeflags = "-k -j8"}, run, warnings.sink());
  EXPECT_EQ(run.jobserver, nullptr);
  EXPECT_EQ(run.jobs, 4u);
  EXPECT_EQ(run.env, Env{});
  EXPECT_EQ(warnings.lines, std::vector<std::string>{});
}

TEST(JobserverPolicy, AnUnusableOneWithoutJFallsBackToMakeflagsJAndDropsItFromSteps) {
  Warnings warnings;
  RunOptions run = with_jobs(16);  // the CPU count, as resolve() left it
  attach_jobserver({}, Surroundings{.makeflags = kDeadFifo}, run, warnings.sink());
  EXPECT_EQ(run.jobserver, nullptr);
  EXPECT_EQ(run.jobs, 3u);
  EXPECT_EQ(run.env, (Env{{"MAKEFLAGS", "-k"}}));
  EXPECT_EQ(warnings.lines, std::vector<std::string>{kDeadFifoWarning});
}

TEST(JobserverPolicy, AnUnusableOneWithJKeepsJ) {
  Warnings warnings;
  RunOptions run = with_jobs(2);
  attach_jobserver(asked(false, true), Surroundings{.makeflags = " -j3 --jobserver-auth=98,99"}, run,
                   warnings.sink());
  EXPECT_EQ(run.jobs, 2u);
  EXPECT_EQ(run.env, (Env{{"MAKEFLAGS", ""}}));
  EXPECT_EQ(warnings.lines, std::vector<std::string>{
                                "parstep: warning: the jobserver in MAKEFLAGS is unusable: its descriptors 98,99 are not "
                                "open pipes (a make recipe without '+' closes them); running at most 2 steps at once\n"});
}

TEST(JobserverPolicy, AnUnusableOneWithNoLimitSaysUnlimited) {
  Warnings warnings;
  RunOptions run = with_jobs(0);
  attach_jobserver(asked(false, true), Surroundings{.makeflags = "--jobserver-auth=98,99"}, run, warnings.sink());
  ASSERT_EQ(warnings.lines.size(), 1u);
  EXPECT_TRUE(warnings.lines[0].ends_with("; running at most unlimited steps at once\n")) << warnings.lines[0];
}

TEST(JobserverPolicy, TheFallbackWarningIsYellowWhenParstepColours) {
  Warnings warnings;
  RunOptions run = with_jobs(16);
  run.colour = true;
  attach_jobserver({}, Surroundings{.makeflags = kDeadFifo}, run, warnings.sink());
  std::string plain = kDeadFifoWarning;
  EXPECT_EQ(warnings.lines,
            std::vector<std::string>{"\033[33m" + plain.substr(0, plain.size() - 1) + "\033[0m\n"});
}

TEST(JobserverPolicy, MissingOkFallsBackWithoutAWord) {
  Warnings warnings;
  RunOptions run = with_jobs(16);
  attach_jobserver({}, Surroundings{.makeflags = kDeadFifo, .jobserver_missing_ok = "1"}, run, warnings.sink());
  EXPECT_EQ(run.jobs, 3u);
  EXPECT_EQ(run.env, (Env{{"MAKEFLAGS", "-k"}}));
  EXPECT_EQ(warnings.lines, std::vector<std::string>{});
}

TEST(JobserverPolicy, MissingOkIsOnlyTheValueOne) {
  for (const char* missing_ok : {"", "0", "yes"}) {
    Warnings warnings;
    RunOptions run = with_jobs(16);
    attach_jobserver({}, Surroundings{.makeflags = kDeadFifo, .jobserver_missing_ok = missing_ok}, run,
                     warnings.sink());
    EXPECT_EQ(warnings.lines, std::vector<std::string>{kDeadFifoWarning}) << missing_ok;
  }
}

/// A pipe standing in for a make jobserver's descriptors.
struct Pool {
  int fds[2];
  Pool() { EXPECT_EQ(pipe(fds), 0); }
  ~Pool() {
    close(fds[0]);
    close(fds[1]);
  }
  std::string makeflags() const {
    return " -j4 --jobserver-auth=" + std::to_string(fds[0]) + "," + std::to_string(fds[1]);
  }
};

TEST(JobserverPolicy, AUsableOneWithoutJIsTheOnlyLimit) {
  Pool pool;
  std::string makeflags = pool.makeflags();
  Warnings warnings;
  RunOptions run = with_jobs(16);
  attach_jobserver({}, Surroundings{.makeflags = makeflags.c_str()}, run, warnings.sink());
  ASSERT_NE(run.jobserver, nullptr);
  EXPECT_EQ(run.jobs, 0u);
  EXPECT_EQ(run.env, Env{});  // steps keep the MAKEFLAGS parstep inherited
  EXPECT_EQ(warnings.lines, std::vector<std::string>{});
}

TEST(JobserverPolicy, AUsableOneWithJLimitsBoth) {
  Pool pool;
  std::string makeflags = pool.makeflags();
  RunOptions run = with_jobs(2);
  attach_jobserver(asked(false, true), Surroundings{.makeflags = makeflags.c_str()}, run, Warnings().sink());
  ASSERT_NE(run.jobserver, nullptr);
  EXPECT_EQ(run.jobs, 2u);
}

TEST(JobserverPolicy, ServeWithoutJJoinsTheParentsPool) {
  Pool pool;
  std::string makeflags = pool.makeflags();
  RunOptions run = with_jobs(16);
  attach_jobserver(asked(true, false), Surroundings{.makeflags = makeflags.c_str()}, run, Warnings().sink());
  ASSERT_NE(run.jobserver, nullptr);
  EXPECT_EQ(run.jobserver->makeflags(), std::nullopt);  // joined, not served
  EXPECT_EQ(run.jobs, 0u);
}

TEST(JobserverPolicy, ServeWithJServesThatManySlots) {
  Pool pool;
  std::string makeflags = pool.makeflags();
  RunOptions run = with_jobs(2);
  attach_jobserver(asked(true, true),
                   Surroundings{.makeflags = makeflags.c_str()}, run, Warnings().sink());
  ASSERT_NE(run.jobserver, nullptr);
  ASSERT_TRUE(run.jobserver->makeflags());
  EXPECT_NE(run.jobserver->makeflags()->find("-j2 --jobserver-auth=fifo:"), std::string::npos)
      << *run.jobserver->makeflags();
}

TEST(JobserverPolicy, ServeOverAnUnusableOneServesMakeflagsJWithoutAWarning) {
  Warnings warnings;
  RunOptions run = with_jobs(16);
  attach_jobserver(asked(true, false), Surroundings{.makeflags = kDeadFifo}, run,
                   warnings.sink());
  ASSERT_NE(run.jobserver, nullptr);
  ASSERT_TRUE(run.jobserver->makeflags());
  EXPECT_TRUE(run.jobserver->makeflags()->starts_with("-k -j3 --jobserver-auth=fifo:")) << *run.jobserver->makeflags();
  EXPECT_EQ(run.jobserver->makeflags()->find("/nonexistent/"), std::string::npos);
  EXPECT_EQ(run.env, Env{});
  EXPECT_EQ(warnings.lines, std::vector<std::string>{});
}

TEST(JobserverPolicy, ServeNeedsASlotCount) {
  RunOptions run = with_jobs(0);
  try {
    attach_jobserver(asked(true, true), Surroundings{}, run, Warnings().sink());
    ADD_FAILURE() << "no error";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "--jobserver needs a number of slots: give -j N with N >= 1");
  }
}

TEST(JobserverPolicy, ServeRefusesMoreSlotsThanAPipeHolds) {
  RunOptions run = with_jobs(Jobserver::max_slots() + 1);
  try {
    attach_jobserver(asked(true, true), Surroundings{}, run, Warnings().sink());
    ADD_FAILURE() << "no error";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "--jobserver: at most " + std::to_string(Jobserver::max_slots()) +
                                         " slots (the tokens one pipe can hold, /proc/sys/fs/pipe-max-size), got -j " +
                                         std::to_string(Jobserver::max_slots() + 1));
  }
}

}  // namespace
}  // namespace parstep
