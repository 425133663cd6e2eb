#include "sequencer.h"

#include <gtest/gtest.h>

namespace parstep {
namespace {

using K = Emit::Kind;
using Emits = std::vector<Emit>;

Sequencer make(bool ordered, bool stream, int n) {
  Sequencer s(ordered, stream);
  for (int i = 0; i < n; ++i) s.add_step();
  return s;
}

TEST(Sequencer, GroupPrintsEachBlockWhenItsStepEnds) {
  Sequencer s = make(false, false, 3);
  EXPECT_EQ(s.started(0), Emits{});
  EXPECT_EQ(s.started(1), Emits{});
  EXPECT_EQ(s.finished(1), (Emits{{K::whole, 1}}));
  EXPECT_EQ(s.drop(0), Emits{});
  EXPECT_EQ(s.finished(0), Emits{});  // dropped
  EXPECT_FALSE(s.live());
}

TEST(Sequencer, OrderedStreamsTheHeadAndHoldsTheRest) {
  Sequencer s = make(true, true, 3);
  EXPECT_EQ(s.started(0), (Emits{{K::open, 0}}));
  EXPECT_EQ(s.live(), 0u);
  EXPECT_EQ(s.started(1), Emits{});
  EXPECT_EQ(s.started(2), Emits{});
  EXPECT_EQ(s.finished(2), Emits{});
  EXPECT_EQ(s.finished(1), Emits{});
  EXPECT_EQ(s.finished(0), (Emits{{K::close, 0}, {K::whole, 1}, {K::whole, 2}}));
  EXPECT_FALSE(s.live());
}

TEST(Sequencer, OrderedOpensTheNextRunningStepAfterTheHead) {
  Sequencer s = make(true, true, 3);
  s.started(0);
  s.started(1);
  EXPECT_EQ(s.finished(0), (Emits{{K::close, 0}, {K::open, 1}}));
  EXPECT_EQ(s.live(), 1u);
  // Step 2 has not started: nothing to open until it does.
  EXPECT_EQ(s.finished(1), (Emits{{K::close, 1}}));
  EXPECT_EQ(s.started(2), (Emits{{K::open, 2}}));
}

TEST(Sequencer, OrderedSkipsDroppedStepsAndClosesADroppedHead) {
  Sequencer s = make(true, true, 4);
  s.started(0);
  s.started(1);
  s.started(2);
  EXPECT_EQ(s.finished(2), Emits{});
  EXPECT_EQ(s.drop(3), Emits{});  // never started
  EXPECT_EQ(s.drop(1), Emits{});
  EXPECT_EQ(s.drop(0), (Emits{{K::close, 0, true}, {K::whole, 2}}));
  EXPECT_EQ(s.finished(1), Emits{});
  EXPECT_EQ(s.finished(0), Emits{});
}

// SPEC 2 v2: once running steps are dropped (a halt), no step is opened as
// a live block, even one that was running before.
TEST(Sequencer, OrderedOpensNoLiveBlockOnceARunningStepIsDropped) {
  Sequencer s = make(true, true, 3);
  s.started(0);
  s.started(1);
  s.started(2);
  EXPECT_EQ(s.drop(2), Emits{});
  EXPECT_EQ(s.finished(0), (Emits{{K::close, 0}}));  // 1 is not opened
  EXPECT_FALSE(s.live());
  EXPECT_EQ(s.finished(1), (Emits{{K::whole, 1}}));
}

// The failed step is not the head: the head is dropped first (closed), and
// the failed step, still running for the sequencer, is not opened live.
TEST(Sequencer, OrderedDropOfTheLiveHeadOpensNothing) {
  Sequencer s = make(true, true, 3);
  s.started(0);
  s.started(1);
  s.started(2);
  EXPECT_EQ(s.drop(0), (Emits{{K::close, 0, true}}));
  EXPECT_EQ(s.drop(2), Emits{});
  EXPECT_EQ(s.finished(1), (Emits{{K::whole, 1}}));
}

// Never-started steps dropped (--on-error finish) do not stop streaming.
TEST(Sequencer, OrderedKeepsStreamingWhenOnlyWaitingStepsAreDropped) {
  Sequencer s = make(true, true, 3);
  s.started(0);
  s.started(1);
  EXPECT_EQ(s.drop(2), Emits{});
  EXPECT_EQ(s.finished(0), (Emits{{K::close, 0}, {K::open, 1}}));
}

TEST(Sequencer, OrderedWithoutStreamingPrintsWholeBlocksInOrder) {
  Sequencer s = make(true, false, 2);
  EXPECT_EQ(s.started(0), Emits{});
  s.started(1);
  EXPECT_EQ(s.finished(1), Emits{});
  EXPECT_EQ(s.finished(0), (Emits{{K::whole, 0}, {K::whole, 1}}));
}

}  // namespace
}  // namespace parstep
