#include "sequencer.h"

namespace parstep {

std::vector<Emit> Sequencer::started(std::size_t index) {
  std::vector<Emit> out;
  state_[index] = State::running;
  if (ordered_) advance(out);
  return out;
}

std::vector<Emit> Sequencer::finished(std::size_t index) {
  std::vector<Emit> out;
  State& s = state_[index];
  if (!ordered_) {
    if (s != State::dropped) out.push_back({Emit::Kind::whole, index});
    s = State::emitted;
    return out;
  }
  if (live_ == index) {
    out.push_back({Emit::Kind::close, index});
    live_.reset();
    s = State::emitted;
  } else if (s != State::dropped && s != State::emitted) {
    s = State::done;
  }
  advance(out);
  return out;
}

std::vector<Emit> Sequencer::drop(std::size_t index) {
  std::vector<Emit> out;
  State& s = state_[index];
  if (s == State::running) halting_ = true;
  if (live_ == index) {
    out.push_back({Emit::Kind::close, index, true});
    live_.reset();
    s = State::emitted;
  } else if (s != State::emitted) {
    s = State::dropped;
  }
  if (ordered_) advance(out);
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
    } else if (s == State::running && stream_ && !live_ && !halting_) {
      out.push_back({Emit::Kind::open, head_});
      live_ = head_;
      return;
    } else {
      return;
    }
  }
}

}  // namespace parstep
