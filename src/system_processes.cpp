#include "system_processes.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>

#include "hang_report.h"

namespace parstep {
namespace {

constexpr std::uint64_t kSignalTag = ~std::uint64_t{0};
constexpr std::uint64_t kQueueTag = kSignalTag - 1;
constexpr std::uint64_t kJobserverTag = kSignalTag - 2;
constexpr std::uint64_t kStdoutTag = kSignalTag - 3;

// Returns whether the process was a subreaper, and makes it none.
int leave_subreaper() {
  int state = 0;
  if (prctl(PR_GET_CHILD_SUBREAPER, &state) != 0) return 0;
  if (state != 0) prctl(PR_SET_CHILD_SUBREAPER, 0);
  return state;
}

}  // namespace

SystemProcesses::SystemProcesses() : was_subreaper_(leave_subreaper()) {
  become_child_subreaper();
  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) throw_errno("epoll_create1");
  epoll_ = Fd(ep);
  add(signals_.fd(), EPOLLIN, kSignalTag);
}

// The signal mask is put back by ~SignalWatch (after this body).
SystemProcesses::~SystemProcesses() {
  if (was_subreaper_ == 0) prctl(PR_SET_CHILD_SUBREAPER, 0);
}

void SystemProcesses::add(int fd, std::uint32_t events, std::uint64_t tag) {
  epoll_event ev{events, {.u64 = tag}};
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) throw_errno("epoll_ctl");
}

Capture SystemProcesses::open_capture(bool pty, std::initializer_list<int> terminals) {
  std::string warning;
  if (pty) {
    if (std::optional<Pty> opened = ptys_.open(terminals, warning))
      return {std::move(opened->master), std::move(opened->slave), true, ""};
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe");
  Capture c{Fd(fds[0]), Fd(fds[1]), false, warning};
  if (fcntl(fds[0], F_SETFL, O_NONBLOCK) != 0) throw_errno("fcntl");
  return c;
}

pid_t SystemProcesses::spawn(SpawnRequest request) {
  request.mask = &signals_.child_mask();
  request.defaults = &signals_.child_defaults();
  if (!dev_null_) dev_null_ = Fd(open("/dev/null", O_RDONLY | O_CLOEXEC));
  request.input_fd = dev_null_.get();  // -1 if it failed: the child opens it
  return spawner_.spawn(request);
}

void SystemProcesses::watch_output(std::size_t step, int fd) { add(fd, EPOLLIN, step); }

void SystemProcesses::watch_queue(int fd) { add(fd, EPOLLIN, kQueueTag); }

void SystemProcesses::watch_jobserver(int fd) {
  epoll_event ev{EPOLLIN | EPOLLONESHOT, {.u64 = kJobserverTag}};
  if (epoll_ctl(epoll_.get(), jobserver_added_ ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) != 0)
    throw_errno("epoll_ctl jobserver");
  jobserver_added_ = true;
}

bool SystemProcesses::watch_stdout(int fd) {
  epoll_event ev{EPOLLOUT, {.u64 = kStdoutTag}};
  return epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) == 0;
}

// A descriptor closed since it was added is already gone from the set.
void SystemProcesses::unwatch(int fd) { epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr); }

std::vector<ProcessEvent> SystemProcesses::wait(std::optional<Clock::time_point> wake_by) {
  int timeout = -1;
  if (wake_by) {
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(*wake_by - Clock::now()).count();
    timeout = ms < 0 ? 0 : static_cast<int>(ms);
  }
  watchdog_.flush();  // steps that ended before this wait
  epoll_event events[64];
  int n = epoll_wait(epoll_.get(), events, 64, timeout);
  if (n < 0 && errno != EINTR) throw_errno("epoll_wait");
  std::vector<ProcessEvent> happened;
  for (int i = 0; i < n; ++i) {
    std::uint64_t tag = events[i].data.u64;
    if (tag == kSignalTag) {
      for (int signal : signals_.take()) happened.push_back(SignalArrived{signal});
    } else if (tag == kStdoutTag) {
      happened.push_back(StdoutWritable{});
    } else if (tag == kJobserverTag) {
      happened.push_back(TokenReadable{});
    } else if (tag == kQueueTag) {
      happened.push_back(QueueReadable{});
    } else {
      happened.push_back(OutputReady{tag});
    }
  }
  return happened;
}

Reaped SystemProcesses::reap_one() {
  for (;;) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, WNOHANG | WUNTRACED);
    if (pid > 0) return {Reaped::Kind::changed, pid, status};
    if (pid == 0) return {Reaped::Kind::none_yet};
    if (errno != EINTR) return {Reaped::Kind::no_children};
  }
}

bool SystemProcesses::signal_group(pid_t pgid, int signal) { return kill(-pgid, signal) == 0; }

void SystemProcesses::signal_process(pid_t pid, int signal) { kill(pid, signal); }

void SystemProcesses::signal_descendants(pid_t root, int signal) {
  parstep::signal_descendants(root == 0 ? getpid() : root, signal);
}

// Asked at every step's end: one pread(2) of the list ("1 2 3 ") from a
// descriptor kept open (a seq_file read from offset 0 is made afresh).
std::vector<pid_t> SystemProcesses::children() {
  if (!children_) {
    std::string path = "/proc/self/task/" + std::to_string(gettid()) + "/children";
    children_ = Fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!children_) return {-1};  // unknown: taken as "someone is left"
  }
  std::string text(4096, '\0');
  for (;;) {
    ssize_t n = pread(children_.get(), text.data(), text.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return {-1};
    // A short read is the whole list (a seq_file fills what it is given).
    if (static_cast<std::size_t>(n) < text.size()) {
      text.resize(static_cast<std::size_t>(n));
      break;
    }
    text.resize(text.size() * 2);
  }
  std::vector<pid_t> pids;
  for (const char* p = text.c_str(); *p != '\0';) {
    char* end = nullptr;
    long pid = std::strtol(p, &end, 10);
    if (end == p) break;
    pids.push_back(static_cast<pid_t>(pid));
    p = end;
  }
  return pids;
}

std::string SystemProcesses::hang_report(const std::string& step, pid_t pid, std::chrono::milliseconds silent_for,
                                         const std::string& tail) {
  return parstep::hang_report(step, pid, silent_for, tail);
}

}  // namespace parstep
