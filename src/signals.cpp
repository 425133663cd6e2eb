#include "signals.h"

#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>

namespace parstep {

SignalWatch::SignalWatch() {
  sigset_t watched;
  sigemptyset(&watched);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&watched, s);
  if (sigprocmask(SIG_BLOCK, &watched, &original_mask_) != 0) throw_errno("block signals");
  int fd = signalfd(-1, &watched, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) throw_errno("signalfd");
  fd_ = Fd(fd);

  sigemptyset(&child_defaults_);
  struct sigaction old {};
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &old);
  if (old.sa_handler != SIG_IGN) sigaddset(&child_defaults_, SIGPIPE);
}

std::vector<int> SignalWatch::take() {
  std::vector<int> signals;
  signalfd_siginfo info;
  for (;;) {
    ssize_t n = read(fd(), &info, sizeof info);
    if (n == static_cast<ssize_t>(sizeof info)) {
      signals.push_back(static_cast<int>(info.ssi_signo));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      return signals;
    }
  }
}

void reraise(int signal) {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigaction(signal, &dfl, nullptr);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, signal);
  raise(signal);  // pending while blocked; delivered by the unblock below
  sigprocmask(SIG_UNBLOCK, &only, nullptr);
  _exit(128 + signal);
}

}  // namespace parstep
