#include "watchdog.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <set>
#include <vector>

#include "proctree.h"

namespace parstep {
namespace {

constexpr int kGoodbye = 0;  ///< records: +pgid watch, -pgid unwatch, 0 goodbye

// The watchdog keeps nothing of parstep: no descriptor but its pipe, no
// signal handling (terminal and job-control signals are ignored), no
// working directory that could keep a mount busy.
void become_watchdog(int fd, int parstep) {
  setsid();
  prctl(PR_SET_NAME, "parstep-watchdog");
  for (int s = 1; s < NSIG; ++s) signal(s, SIG_IGN);
  signal(SIGCHLD, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  int null = open("/dev/null", O_RDWR);
  for (int std = 0; std <= 2; ++std) dup2(null, std);
  dup2(fd, 3);
  if (parstep >= 0) dup2(parstep, 4);
  syscall(SYS_close_range, parstep >= 0 ? 5u : 4u, ~0u, 0u);
  if (chdir("/") != 0) return;
}

// Every live process in the watched groups and below them.
std::set<pid_t> targets(const std::set<pid_t>& groups) {
  auto table = read_process_table();
  std::set<pid_t> found;
  for (const auto& p : table) {
    if (p.state == 'Z' || !groups.contains(p.pgrp)) continue;
    found.insert(p.pid);
    for (pid_t d : descendants(table, p.pid)) found.insert(d);
  }
  return found;
}

// Stops everything first so that the process tree holds still (nothing
// forks, no parent dies and orphans its children) while it is walked; then
// kills it all at once.
void kill_all(const std::set<pid_t>& groups) {
  for (pid_t g : groups) kill(-g, SIGSTOP);
  std::set<pid_t> stopped;
  for (int round = 0; round < 20; ++round) {
    auto found = targets(groups);
    std::size_t before = stopped.size();
    for (pid_t p : found)
      if (stopped.insert(p).second) kill(p, SIGSTOP);
    if (stopped.size() == before) break;
  }
  for (pid_t g : groups) kill(-g, SIGKILL);
  for (pid_t p : stopped) kill(p, SIGKILL);
}

// parstep's pipe closes early in its exit, before its children are handed
// to init. Acting before that would make the kernel find the step groups
// (stopped by then) orphaned and send them SIGHUP: their shells would die
// before the tree below them is walked. So wait until parstep is gone.
void wait_for_exit(int pidfd) {
  if (pidfd < 0) return;
  pollfd p{pidfd, POLLIN, 0};
  while (poll(&p, 1, 5000) < 0 && errno == EINTR) {
  }
}

}  // namespace

int watchdog_main(int fd, int parstep, const int* table, std::size_t slots) {
  std::set<pid_t> groups;
  // Every write is whole records, so every read is too: one read a wake-up.
  int records[1024];
  for (;;) {
    ssize_t n = read(fd, records, sizeof records);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || n % sizeof records[0] != 0) break;  // parstep is gone
    for (std::size_t k = 0; k < n / sizeof records[0]; ++k) {
      if (records[k] == kGoodbye) return 0;
      if (records[k] > 0) groups.insert(records[k]);
      else groups.erase(-records[k]);
    }
  }
  wait_for_exit(parstep);
  // parstep is gone: nothing writes the table any more.
  for (std::size_t i = 0; table != nullptr && i < slots; ++i)
    if (int g = std::atomic_ref<const int>(table[i]).load(std::memory_order_acquire); g > 0) groups.insert(g);
  kill_all(groups);
  return 0;
}

Watchdog::Watchdog(std::size_t slots) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return;
  void* shared = mmap(nullptr, slots * sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared != MAP_FAILED) {
    table_ = static_cast<int*>(shared);
    slots_ = slots;
    for (std::size_t i = slots; i > 0; --i) free_.push_back(i - 1);
  }
  int self = static_cast<int>(syscall(SYS_pidfd_open, getpid(), 0));  // -1 before Linux 5.3
  pid_t middle = fork();
  if (middle == 0) {
    close(fds[1]);
    if (fork() != 0) _exit(0);
    become_watchdog(fds[0], self);
    _exit(watchdog_main(3, self >= 0 ? 4 : -1, table_, slots_));
  }
  close(fds[0]);
  if (self >= 0) close(self);
  if (middle < 0) {
    close(fds[1]);
    return;
  }
  while (waitpid(middle, nullptr, 0) < 0 && errno == EINTR) {
  }
  pipe_ = Fd(fds[1]);
  // A stalled watchdog never stalls parstep: without that, none at all (it
  // exits at end of file having been told of no group).
  if (fcntl(fds[1], F_SETFL, O_NONBLOCK) != 0) pipe_.reset();
}

// Writes of at most PIPE_BUF bytes are atomic, so a record is never split,
// even on the non-blocking pipe.
void Watchdog::flush() {
  constexpr std::size_t kAtomic = PIPE_BUF / sizeof(int);
  for (std::size_t from = 0; pipe_ && from < pending_.size(); from += kAtomic) {
    std::size_t count = std::min(kAtomic, pending_.size() - from);
    while (write(pipe_.get(), pending_.data() + from, count * sizeof(int)) < 0 && errno == EINTR) {
    }
  }
  pending_.clear();
}

Watchdog::~Watchdog() {
  flush();
  pipe_.reset();  // first: the watchdog reads the table only once parstep is gone
  if (table_ != nullptr) munmap(table_, slots_ * sizeof(int));
}

// A plain store into the shared table: no system call, nobody woken. The
// pipe takes only what the table has no room for.
void Watchdog::watch(pid_t pgid) {
  if (!pipe_) return;
  if (!free_.empty()) {
    std::size_t slot = free_.back();
    free_.pop_back();
    slot_of_[pgid] = slot;
    std::atomic_ref<int>(table_[slot]).store(pgid, std::memory_order_release);
    return;
  }
  pending_.push_back(pgid);
  flush();
}

void Watchdog::unwatch(pid_t pgid) {
  if (auto it = slot_of_.find(pgid); it != slot_of_.end()) {
    std::atomic_ref<int>(table_[it->second]).store(0, std::memory_order_release);
    free_.push_back(it->second);
    slot_of_.erase(it);
    return;
  }
  pending_.push_back(-pgid);
}

void Watchdog::goodbye() {
  pending_.push_back(kGoodbye);
  flush();
  pipe_.reset();
}

}  // namespace parstep
