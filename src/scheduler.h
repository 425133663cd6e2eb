#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <queue>
#include <vector>

#include "options.h"

namespace parstep {

/// A step to start now, and the slot (1..jobs) it runs in.
struct Launch {
  std::size_t index;
  unsigned slot;
  bool operator==(const Launch&) const = default;
};

/// Decides which step starts next, in which slot, and what a failure does to
/// the rest (SPEC 1, -j and --on-error). Pure bookkeeping: it never forks,
/// so every policy is testable without processes. Steps may be added while
/// others run (queue mode).
class Scheduler {
 public:
  Scheduler(unsigned jobs, OnError on_error) : jobs_(jobs), on_error_(on_error) {}

  /// A new step is known; its index is the number of steps added before it.
  void add_step();
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
  /// The waiting steps, which will now never start; they are forgotten.
  std::vector<std::size_t> take_waiting();

  bool stopping() const { return stopping_; }
  std::size_t running() const { return running_; }
  std::size_t waiting() const { return waiting_.size(); }

 private:
  unsigned take_slot();
  void release(std::size_t index);

  unsigned jobs_;  ///< 0: no limit
  OnError on_error_;
  bool stopping_ = false;
  std::size_t added_ = 0;
  std::size_t running_ = 0;
  std::deque<std::size_t> waiting_;
  std::vector<unsigned> slot_of_;  ///< by step index; 0 when not running
  std::priority_queue<unsigned, std::vector<unsigned>, std::greater<>> free_slots_;
  unsigned next_new_slot_ = 1;  ///< slots below this were handed out before
};

}  // namespace parstep
