#include "fd.h"

#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace parstep {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void Fd::reset() {
  if (fd_ >= 0) ::close(fd_);  // no retry on EINTR: Linux always releases the fd
  fd_ = -1;
}

void throw_errno(const std::string& what) { throw_errno(errno, what); }

std::string read_to_end(int fd) {
  std::string text;
  char buffer[65536];
  for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read");
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

void throw_errno(int err, const std::string& what) {
  throw std::system_error(err, std::generic_category(), what);
}

}  // namespace parstep
