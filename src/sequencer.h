#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace parstep {

/// One thing to print. `whole`: a finished step's block, header to end.
/// `open`: the header and what the step wrote so far; its later output then
/// streams live until `close`, which prints the rest (nothing when `drop`)
/// and ends the block.
struct Emit {
  enum class Kind { whole, open, close };
  Kind kind;
  std::size_t index;
  bool drop = false;
  bool operator==(const Emit&) const = default;
};

/// Decides when each step's block is printed in `group` and `ordered` modes
/// (SPEC 2). Pure: it prints nothing, the runner carries out the emits.
/// Dropped steps (stopped by a halt or an interrupt, never started) are
/// skipped; a dropped live block is closed at once with nothing more.
class Sequencer {
 public:
  /// ordered=false: group mode (blocks in completion order). stream: the
  /// first unfinished step streams live (ordered mode only).
  Sequencer(bool ordered, bool stream) : ordered_(ordered), stream_(stream) {}

  void add_step() { state_.push_back(State::waiting); }
  std::vector<Emit> started(std::size_t index);
  /// The step ended; its block is printed when its turn comes, unless it
  /// was dropped.
  std::vector<Emit> finished(std::size_t index);
  /// Nothing (more) of this step is printed, from now on. Dropping a step
  /// that runs means the run is halting or interrupted (SPEC 2 v2): from
  /// then on no step is opened as a live block.
  std::vector<Emit> drop(std::size_t index);
  /// Whether some step's output may be printed as it arrives.
  bool streams() const { return ordered_ && stream_; }
  /// The step whose output is printed as it arrives, if any.
  std::optional<std::size_t> live() const { return live_; }

 private:
  enum class State : std::uint8_t { waiting, running, done, dropped, emitted };
  void advance(std::vector<Emit>& out);

  bool ordered_;
  bool stream_;
  std::vector<State> state_;
  std::size_t head_ = 0;  ///< ordered: the first step whose block is not printed yet
  std::optional<std::size_t> live_;
  bool halting_ = false;  ///< a running step was dropped: open no live block any more
};

}  // namespace parstep
