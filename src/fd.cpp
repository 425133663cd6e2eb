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

void throw_errno(int err, const std::string& what) {
  throw std::system_error(err, std::generic_category(), what);
}

}  // namespace parstep
