#include "signals.h"

#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <iterator>

namespace parstep {
namespace {

bool ignored(int signal) {
  struct sigaction old {};
  return sigaction(signal, nullptr, &old) == 0 && old.sa_handler == SIG_IGN;
}

sigset_t watched_signals() {
  sigset_t watched;
  sigemptyset(&watched);
  for (int s = 1; s <= SIGRTMAX; ++s)
    if ((is_terminating(s) && !ignored(s)) || s == SIGCHLD || s == SIGTSTP || s == SIGCONT)
      sigaddset(&watched, s);
  return watched;
}

// Blocked-and-raised: delivered with its default action by the unblock.
void raise_with_default_action(int signal) {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigaction(signal, &dfl, nullptr);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, signal);
  raise(signal);
  sigprocmask(SIG_UNBLOCK, &only, nullptr);
  sigprocmask(SIG_BLOCK, &only, nullptr);
}

}  // namespace

bool is_terminating(int signal) {
  switch (signal) {
    case SIGINT: case SIGTERM: case SIGHUP: case SIGQUIT: case SIGPIPE: case SIGUSR1: case SIGUSR2:
    case SIGALRM: case SIGVTALRM: case SIGPROF: case SIGXCPU: case SIGXFSZ: case SIGIO: case SIGPWR:
    case SIGSTKFLT:
      return true;
    default:
      return signal >= SIGRTMIN && signal <= SIGRTMAX;
  }
}

SignalWatch::SignalWatch() {
  sigset_t watched = watched_signals();
  if (sigprocmask(SIG_BLOCK, &watched, &original_mask_) != 0) throw_errno("block signals");
  int fd = signalfd(-1, &watched, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) throw_errno("signalfd");
  fd_ = Fd(fd);
  sigemptyset(&child_defaults_);
}

SignalWatch::~SignalWatch() {
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  timespec now{};
  while (sigismember(&original_mask_, SIGPIPE) == 0 && sigtimedwait(&pipe_only, nullptr, &now) == SIGPIPE) {
  }
  sigprocmask(SIG_SETMASK, &original_mask_, nullptr);
}

std::vector<int> SignalWatch::take() {
  std::vector<int> signals;
  signalfd_siginfo info[16];
  for (;;) {
    ssize_t n = read(fd(), info, sizeof info);
    if (n < 0 && errno == EINTR) continue;
    std::size_t count = n > 0 ? static_cast<std::size_t>(n) / sizeof info[0] : 0;
    for (std::size_t k = 0; k < count; ++k) {
      bool own_epipe = info[k].ssi_signo == SIGPIPE && static_cast<pid_t>(info[k].ssi_pid) == getpid();
      if (!own_epipe) signals.push_back(static_cast<int>(info[k].ssi_signo));
    }
    // Fewer than asked for: none was left (a read takes what is queued).
    if (count < std::size(info)) return signals;
  }
}

void reraise(int signal) {
  raise_with_default_action(signal);
  _exit(128 + signal);
}

void stop_self(int signal) { raise_with_default_action(signal); }

}  // namespace parstep
