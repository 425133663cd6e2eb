#pragma once

#include <cstddef>
#include <chrono>
#include <functional>
#include <optional>
#include <queue>
#include <set>
#include <vector>

#include "options.h"

namespace parstep {

/// A step to start now, and the slot (1..jobs) it runs in.
struct Launch {
  std::size_t index;
  unsigned slot;
  bool operator==(const Launch&) const = default;
};

/// Where a waiting step stands in the start order (SPEC 8, --schedule
/// longest). With --schedule given every step is `unknown`: the given order.
struct StartRank {
  enum class Kind { failed_last_time, unknown, known };
  Kind kind = Kind::unknown;
  std::chrono::milliseconds expected{};  ///< known: how long it is expected to run
};

/// Decides which step starts next, in which slot, and what a failure does to
/// the rest (SPEC 1, -j and --on-error). Pure bookkeeping: it never forks,
/// so every policy is testable without processes. Steps may be added while
/// others run (queue mode).
class Scheduler {
 public:
  Scheduler(unsigned jobs, OnError on_error) : jobs_(jobs), on_error_(on_error) {}

  /// A new step is known; its index is the number of steps added before it.
  /// Waiting steps start by rank: failed last time, then unknown, then
  /// known longest first; ties (and equal kinds but known) in the given order.
  void add_step(StartRank rank = {});
  /// True when a step is waiting and a slot is free and no failure forbids it.
  bool can_start() const;
  /// Takes the next waiting step and a free slot. Call only when can_start().
  Launch start();
  /// A started step ended. Returns true when the others must be stopped now
  /// (on_error halt after a failure).
  bool finished(std::size_t index, bool succeeded);
  /// A started step failed and will run again: its slot is freed and it
  /// is the next to start.
  void retry(std::size_t index);
  /// Start nothing more (interrupt, broken stdout, halt).
  void stop() { stopping_ = true; }
  /// The waiting steps (in the given order), which will now never start;
  /// they are forgotten.
  std::vector<std::size_t> take_waiting();

  bool stopping() const { return stopping_; }
  std::size_t running() const { return running_; }
  std::size_t waiting() const { return waiting_.size(); }
  /// The waiting steps in the order they would start.
  std::vector<std::size_t> waiting_in_order() const;

 private:
  unsigned take_slot();
  void release(std::size_t index);

  unsigned jobs_;  ///< 0: no limit
  OnError on_error_;
  bool stopping_ = false;
  std::size_t added_ = 0;
  std::size_t running_ = 0;
  /// Sort key of a waiting step: retried steps first (by when they failed),
  /// then by rank; the step index breaks ties.
  struct Waiting {
    int group;              ///< 0 retry, 1 failed last time, 2 unknown, 3 known
    long long order;        ///< within the group: retry sequence, or minus the expected ms
    std::size_t index;
    auto operator<=>(const Waiting&) const = default;
  };
  std::set<Waiting> waiting_;
  long long retries_ = 0;
  std::vector<unsigned> slot_of_;  ///< by step index; 0 when not running
  std::priority_queue<unsigned, std::vector<unsigned>, std::greater<>> free_slots_;
  unsigned next_new_slot_ = 1;  ///< slots below this were handed out before
};

}  // namespace parstep
