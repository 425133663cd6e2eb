#include "scheduler.h"

#include <cassert>

namespace parstep {

void Scheduler::add_step() {
  waiting_.push_back(added_++);
  slot_of_.push_back(0);
}

bool Scheduler::can_start() const {
  if (stopping_ || waiting_.empty()) return false;
  return jobs_ == 0 || running_ < jobs_;
}

Launch Scheduler::start() {
  assert(can_start());
  std::size_t index = waiting_.front();
  waiting_.pop_front();
  ++running_;
  slot_of_[index] = take_slot();
  return {index, slot_of_[index]};
}

unsigned Scheduler::take_slot() {
  if (free_slots_.empty()) return next_new_slot_++;
  unsigned slot = free_slots_.top();
  free_slots_.pop();
  return slot;
}

void Scheduler::release(std::size_t index) {
  assert(slot_of_[index] != 0);
  free_slots_.push(slot_of_[index]);
  slot_of_[index] = 0;
  --running_;
}

void Scheduler::retry(std::size_t index) {
  release(index);
  waiting_.push_front(index);
}

bool Scheduler::finished(std::size_t index, bool succeeded) {
  release(index);
  if (succeeded || on_error_ == OnError::keep_going) return false;
  bool halt_now = on_error_ == OnError::halt && !stopping_;
  stopping_ = true;
  return halt_now;
}

std::vector<std::size_t> Scheduler::take_waiting() {
  std::vector<std::size_t> abandoned(waiting_.begin(), waiting_.end());
  waiting_.clear();
  return abandoned;
}

}  // namespace parstep
