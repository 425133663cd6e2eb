#include "pty.h"

#include <fcntl.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>
#include <utility>

#include "messages.h"

namespace parstep {
namespace {

Fd open_master() {
  int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) throw_errno("open a pty (/dev/ptmx)");
  Fd master(fd);
  if (grantpt(fd) != 0 || unlockpt(fd) != 0) throw_errno("set up a pty");
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) throw_errno("set up a pty");
  return master;
}

// O_NOCTTY: parstep may be a session leader without a terminal, and would
// otherwise acquire the step's.
Fd open_slave(int master) {
  char name[128];
  if (int err = ptsname_r(master, name, sizeof name); err != 0) throw_errno(err, "name a pty");
  int fd = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) throw_errno(std::string("open ") + name);
  return Fd(fd);
}

void make_raw(int slave, const winsize& size) {
  termios t;
  if (tcgetattr(slave, &t) != 0) throw_errno("set up a pty");
  cfmakeraw(&t);
  if (tcsetattr(slave, TCSANOW, &t) != 0) throw_errno("set up a pty");
  if (ioctl(slave, TIOCSWINSZ, &size) != 0) throw_errno("set a pty's window size");
}

}  // namespace

Pty open_pty(const winsize& size) {
  Pty pty;
  pty.master = open_master();
  pty.slave = open_slave(pty.master.get());
  make_raw(pty.slave.get(), size);
  return pty;
}

std::optional<Pty> PtySource::open(std::initializer_list<int> terminals, std::string& warning) {
  try {
    return open_pty(terminal_size(terminals));
  } catch (const std::system_error& e) {
    int err = e.code().value();
    if (err == EMFILE || err == ENFILE || err == ENOMEM) throw;
    if (!std::exchange(warned_, true))
      warning = warning_line(std::string("--pty: no pseudo-terminal to be had (") + e.what() +
                                 "): steps without one write to a pipe",
                             false);  // the runner colours it
    return std::nullopt;
  }
}

winsize terminal_size(std::initializer_list<int> fds) {
  for (int fd : fds) {
    winsize size{};
    if (ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 && size.ws_row > 0) return size;
  }
  return winsize{.ws_row = 24, .ws_col = 80, .ws_xpixel = 0, .ws_ypixel = 0};
}

}  // namespace parstep
