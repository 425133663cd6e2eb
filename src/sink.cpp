#include "sink.h"

#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

namespace parstep {

SinkError::SinkError(int err)
    : std::runtime_error(std::string("write to stdout: ") + strerror(err)), error(err) {}

Sink Sink::without_waiting(int fd) {
  Sink sink(fd);
  sink.waits_ = false;
  struct stat st {};
  if (fstat(fd, &st) != 0 || S_ISREG(st.st_mode)) return sink;
  if (S_ISSOCK(st.st_mode)) {
    sink.socket_ = true;
    sink.sendfile_works_ = false;  // sendfile would wait: send() can be told not to
    return sink;
  }
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  int own = open(path.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (own >= 0) {
    sink.own_ = Fd(own);
    sink.fd_ = own;
  }
  return sink;
}

ssize_t Sink::write_some(const char* data, std::size_t size) {
  if (socket_) return ::send(fd_, data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
  return ::write(fd_, data, size);
}

void Sink::wait_writable() {
  pollfd p{fd_, POLLOUT, 0};
  while (poll(&p, 1, -1) < 0 && errno == EINTR) {
  }
}

void Sink::queue(std::string_view bytes) {
  try {
    if (!backlog_) backlog_ = Spool::create();
    backlog_->append(bytes);
  } catch (const std::system_error& e) {
    throw SinkError(e.code().value());  // no room to hold what the reader has not taken
  }
}

void Sink::queue_range(int from_fd, std::uint64_t offset, std::uint64_t length) {
  char buffer[65536];
  while (length > 0) {
    ssize_t n = pread(from_fd, buffer, length < sizeof buffer ? length : sizeof buffer, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw SinkError(n == 0 ? EIO : errno);
    queue({buffer, static_cast<std::size_t>(n)});
    offset += n;
    length -= n;
  }
}

void Sink::write(std::string_view bytes) {
  if (pending()) return queue(bytes);
  while (!bytes.empty()) {
    ssize_t n = write_some(bytes.data(), bytes.size());
    if (n >= 0) {
      bytes.remove_prefix(n);
    } else if (errno == EAGAIN && !waits_) {
      return queue(bytes);
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
    } else if (errno == EAGAIN && !waits_) {
      queue_range(from_fd, offset, length);
      length = 0;
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
  if (pending()) return queue_range(from_fd, offset, length);
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

void Sink::flush() {
  while (pending()) {
    std::string chunk = backlog_->read(sent_, 65536);
    ssize_t n = write_some(chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (n < 0) throw SinkError(errno);
    sent_ += n;
  }
  drop();
}

void Sink::drop() {
  if (backlog_) backlog_->clear();
  sent_ = 0;
}

}  // namespace parstep
