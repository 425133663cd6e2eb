#include "sink.h"

#include <poll.h>
#include <string.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace parstep {

SinkError::SinkError(int err)
    : std::runtime_error(std::string("write to stdout: ") + strerror(err)), error(err) {}

void Sink::wait_writable() {
  pollfd p{fd_, POLLOUT, 0};
  while (poll(&p, 1, -1) < 0 && errno == EINTR) {
  }
}

void Sink::write(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n >= 0) {
      bytes.remove_prefix(n);
    } else if (errno == EAGAIN) {
      wait_writable();
    } else if (errno != EINTR) {
      throw SinkError(errno);
    }
  }
}

// Returns false when sendfile cannot serve this descriptor at all, having
// copied nothing; the caller then falls back.
bool Sink::copy_with_sendfile(int from_fd, std::uint64_t& offset, std::uint64_t& length) {
  while (length > 0) {
    off_t off = static_cast<off_t>(offset);
    ssize_t n = sendfile(fd_, from_fd, &off, length > (1u << 30) ? (1u << 30) : length);
    if (n > 0) {
      offset += n;
      length -= n;
    } else if (n == 0) {
      throw SinkError(EIO);  // the spool is shorter than recorded: cannot happen
    } else if (errno == EAGAIN) {
      wait_writable();
    } else if (errno == EINVAL || errno == ENOSYS) {
      return false;
    } else if (errno != EINTR) {
      throw SinkError(errno);
    }
  }
  return true;
}

void Sink::copy(int from_fd, std::uint64_t offset, std::uint64_t length) {
  if (sendfile_works_ && copy_with_sendfile(from_fd, offset, length)) return;
  sendfile_works_ = false;
  char buffer[65536];
  while (length > 0) {
    ssize_t n = pread(from_fd, buffer, length < sizeof buffer ? length : sizeof buffer,
                      static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw SinkError(n == 0 ? EIO : errno);
    write({buffer, static_cast<std::size_t>(n)});
    offset += n;
    length -= n;
  }
}

}  // namespace parstep
