#include "scheduler.h"

#include <algorithm>
#include <cassert>

namespace parstep {

void Scheduler::add_step(StartRank rank) {
  std::size_t index = added_++;
  Waiting key{2, 0, index};
  if (rank.kind == StartRank::Kind::failed_last_time) key.group = 1;
  if (rank.kind == StartRank::Kind::known) key = {3, -static_cast<long long>(rank.expected.count()), index};
  waiting_.insert(key);
  slot_of_.push_back(0);
}

bool Scheduler::can_start() const {
  if (stopping_ || waiting_.empty()) return false;
  return jobs_ == 0 || running_ < jobs_;
}

Launch Scheduler::start() {
  assert(can_start());
  std::size_t index = waiting_.begin()->index;
  waiting_.erase(waiting_.begin());
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
  waiting_.insert({0, retries_++, index});
}

bool Scheduler::finished(std::size_t index, bool succeeded) {
  release(index);
  if (succeeded || on_error_ == OnError::keep_going) return false;
  bool halt_now = on_error_ == OnError::halt && !stopping_;
  stopping_ = true;
  return halt_now;
}

std::vector<std::size_t> Scheduler::take_waiting() {
  std::vector<std::size_t> abandoned = waiting_in_order();
  std::sort(abandoned.begin(), abandoned.end());  // in the given order, whatever the start order
  waiting_.clear();
  return abandoned;
}

std::vector<std::size_t> Scheduler::waiting_in_order() const {
  std::vector<std::size_t> order;
  for (const Waiting& w : waiting_) order.push_back(w.index);
  return order;
}

}  // namespace parstep
