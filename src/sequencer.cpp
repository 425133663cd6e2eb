#include "sequencer.h"

namespace parstep {

std::vector<Emit> Sequencer::started(std::size_t index) {
  std::vector<Emit> out;
  state_[index] = State::running;
  if (ordered_) advance(out);
  return out;
}

std::vector<Emit> Sequencer::finished(std::size_t index, bool drop) {
  std::vector<Emit> out;
  if (!ordered_) {
    state_[index] = State::emitted;
    if (!drop) out.push_back({Emit::Kind::whole, index});
    return out;
  }
  if (live_ == index) {
    out.push_back({Emit::Kind::close, index, drop});
    live_.reset();
    state_[index] = State::emitted;
  } else {
    state_[index] = drop ? State::dropped : State::done;
  }
  advance(out);
  return out;
}

// Prints every block that is next in order and complete, then opens the
// next running one for live streaming.
void Sequencer::advance(std::vector<Emit>& out) {
  while (head_ < state_.size()) {
    State& s = state_[head_];
    if (s == State::emitted || s == State::dropped) {
      ++head_;
    } else if (s == State::done) {
      out.push_back({Emit::Kind::whole, head_});
      s = State::emitted;
      ++head_;
    } else if (s == State::running && stream_ && !live_) {
      out.push_back({Emit::Kind::open, head_});
      live_ = head_;
      return;
    } else {
      return;
    }
  }
}

}  // namespace parstep
