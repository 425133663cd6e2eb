#include "scheduler.h"

#include <gtest/gtest.h>

#include <set>

namespace parstep {
namespace {

// A fake runner: starts whatever the scheduler allows, never forks.
std::vector<Launch> start_all(Scheduler& s) {
  std::vector<Launch> started;
  while (s.can_start()) started.push_back(s.start());
  return started;
}

Scheduler with_steps(unsigned jobs, OnError on_error, int n) {
  Scheduler s(jobs, on_error);
  for (int i = 0; i < n; ++i) s.add_step();
  return s;
}

TEST(Scheduler, StartsAtMostJobsInGivenOrderWithDistinctSlots) {
  Scheduler s = with_steps(2, OnError::keep_going, 5);
  EXPECT_EQ(start_all(s), (std::vector<Launch>{{0, 1}, {1, 2}}));
  EXPECT_EQ(s.running(), 2u);
  EXPECT_FALSE(s.finished(1, true));
  EXPECT_EQ(start_all(s), (std::vector<Launch>{{2, 2}}));  // slot 2 was freed
  s.finished(0, true);
  s.finished(2, true);
  EXPECT_EQ(start_all(s), (std::vector<Launch>{{3, 1}, {4, 2}}));
}

TEST(Scheduler, ZeroJobsMeansNoLimitAndSlotsCountUp) {
  Scheduler s = with_steps(0, OnError::keep_going, 4);
  auto started = start_all(s);
  ASSERT_EQ(started.size(), 4u);
  for (unsigned i = 0; i < 4; ++i) EXPECT_EQ(started[i].slot, i + 1);
  s.finished(2, true);
  s.add_step();
  EXPECT_EQ(start_all(s), (std::vector<Launch>{{4, 3}}));  // lowest free slot
}

TEST(Scheduler, NoTwoRunningStepsShareASlotUnderChurn) {
  Scheduler s = with_steps(3, OnError::keep_going, 200);
  std::set<unsigned> busy;
  std::vector<Launch> running;
  for (int round = 0; round < 400 && (s.can_start() || !running.empty()); ++round) {
    for (Launch l : start_all(s)) {
      EXPECT_TRUE(busy.insert(l.slot).second) << "slot " << l.slot << " handed out twice";
      EXPECT_LE(l.slot, 3u);
      running.push_back(l);
    }
    Launch done = running[round % running.size()];
    std::erase(running, done);
    busy.erase(done.slot);
    s.finished(done.index, true);
  }
  EXPECT_EQ(s.waiting(), 0u);
}

TEST(Scheduler, ContinueKeepsStartingAfterAFailure) {
  Scheduler s = with_steps(1, OnError::keep_going, 3);
  start_all(s);
  EXPECT_FALSE(s.finished(0, false));
  EXPECT_EQ(start_all(s), (std::vector<Launch>{{1, 1}}));
}

TEST(Scheduler, FinishStartsNothingNewButDoesNotAskToStop) {
  Scheduler s = with_steps(2, OnError::finish, 4);
  start_all(s);
  EXPECT_FALSE(s.finished(0, false));
  EXPECT_TRUE(s.stopping());
  EXPECT_TRUE(start_all(s).empty());
  EXPECT_EQ(s.running(), 1u);
  EXPECT_EQ(s.take_waiting(), (std::vector<std::size_t>{2, 3}));
}

TEST(Scheduler, HaltAsksToStopOnceOnTheFirstFailure) {
  Scheduler s = with_steps(3, OnError::halt, 5);
  start_all(s);
  EXPECT_TRUE(s.finished(1, false));
  EXPECT_FALSE(s.finished(0, false));  // already halting: no second request
  EXPECT_TRUE(start_all(s).empty());
}

TEST(Scheduler, StopForbidsStartsAndStepsAddedLaterWait) {
  Scheduler s = with_steps(2, OnError::keep_going, 1);
  s.stop();
  s.add_step();
  EXPECT_FALSE(s.can_start());
  EXPECT_EQ(s.take_waiting(), (std::vector<std::size_t>{0, 1}));
}

}  // namespace
}  // namespace parstep
