#include "scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
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

namespace parstep {
namespace {

using std::chrono::milliseconds;
using Kind = StartRank::Kind;

std::vector<std::size_t> start_order(Scheduler& s) {
  std::vector<std::size_t> order;
  while (s.can_start()) {
    Launch l = s.start();
    order.push_back(l.index);
    s.finished(l.index, true);
  }
  return order;
}

TEST(Schedule, WithoutRanksStepsStartInTheGivenOrder) {
  Scheduler s(1, OnError::keep_going);
  for (int i = 0; i < 4; ++i) s.add_step();
  EXPECT_EQ(s.waiting_in_order(), (std::vector<std::size_t>{0, 1, 2, 3}));
  EXPECT_EQ(start_order(s), (std::vector<std::size_t>{0, 1, 2, 3}));
}

TEST(Schedule, KnownStepsStartLongestFirst) {
  Scheduler s(1, OnError::keep_going);
  for (int ms : {1000, 4000, 2000, 3000}) s.add_step({Kind::known, milliseconds(ms)});
  EXPECT_EQ(start_order(s), (std::vector<std::size_t>{1, 3, 2, 0}));
}

TEST(Schedule, FailedLastTimeFirstThenUnknownThenKnown) {
  Scheduler s(1, OnError::keep_going);
  s.add_step({Kind::known, milliseconds(9000)});  // 0
  s.add_step({Kind::unknown});                     // 1
  s.add_step({Kind::failed_last_time});            // 2
  s.add_step({Kind::unknown});                     // 3
  s.add_step({Kind::failed_last_time});            // 4
  s.add_step({Kind::known, milliseconds(100)});    // 5
  EXPECT_EQ(start_order(s), (std::vector<std::size_t>{2, 4, 1, 3, 0, 5}));
}

TEST(Schedule, TiesStartInTheGivenOrder) {
  Scheduler s(1, OnError::keep_going);
  for (int i = 0; i < 3; ++i) s.add_step({Kind::known, milliseconds(500)});
  s.add_step({Kind::known, milliseconds(700)});
  EXPECT_EQ(start_order(s), (std::vector<std::size_t>{3, 0, 1, 2}));
}

TEST(Schedule, TheMakespanWorkloadFinishesInSixSecondsAtTwoJobs) {
  // 4,1,1,1,1,1,1,2 s at -j2: given order needs 7 s, longest first 6 s.
  std::vector<int> seconds{4, 1, 1, 1, 1, 1, 1, 2};
  for (bool longest : {false, true}) {
    Scheduler s(2, OnError::keep_going);
    for (int t : seconds) s.add_step(longest ? StartRank{Kind::known, milliseconds(t * 1000)} : StartRank{});
    std::vector<std::pair<int, std::size_t>> running;  // (end time, index)
    int now = 0;
    while (s.can_start() || !running.empty()) {
      while (s.can_start()) {
        Launch l = s.start();
        running.push_back({now + seconds[l.index], l.index});
      }
      auto first = std::min_element(running.begin(), running.end());
      now = first->first;
      s.finished(first->second, true);
      running.erase(first);
    }
    EXPECT_EQ(now, longest ? 6 : 7);
  }
}

TEST(Schedule, ARetriedStepStartsBeforeEveryWaitingOne) {
  Scheduler s(1, OnError::keep_going);
  s.add_step({Kind::failed_last_time});
  s.add_step({Kind::known, milliseconds(5000)});
  Launch l = s.start();
  EXPECT_EQ(l.index, 0u);
  s.retry(0);
  EXPECT_EQ(s.waiting_in_order(), (std::vector<std::size_t>{0, 1}));
}

TEST(Schedule, AbandonedStepsAreListedInTheGivenOrder) {
  Scheduler s(1, OnError::finish);
  s.add_step({Kind::known, milliseconds(1)});
  s.add_step({Kind::known, milliseconds(3)});
  s.add_step({Kind::known, milliseconds(2)});
  s.add_step({Kind::failed_last_time});
  Launch l = s.start();
  EXPECT_EQ(l.index, 3u);
  s.finished(l.index, false);
  EXPECT_EQ(s.take_waiting(), (std::vector<std::size_t>{0, 1, 2}));
}

}  // namespace
}  // namespace parstep
