#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "fd.h"
#include "spool.h"

namespace parstep {

/// Writing to parstep's stdout failed; `error` is the errno (EPIPE when the
/// reader went away).
struct SinkError : std::runtime_error {
  explicit SinkError(int err);
  int error;
};

/// parstep's stdout. Copies file ranges with sendfile(2) where the
/// descriptor takes it (pipes, terminals, /dev/null, plain files) and falls
/// back to pread/write where it does not (files opened O_APPEND).
///
/// Made with Sink(fd) it waits when the descriptor is full. Made with
/// without_waiting() it never waits: what the reader does not take now goes
/// to a backlog (an unlinked file, like a spool: not in memory), later
/// writes queue behind it, and flush() sends more of it when the
/// descriptor is writable again, so a stalled reader never stalls the event
/// loop. Does not own the descriptor it was given.
class Sink {
 public:
  explicit Sink(int fd) : fd_(fd) {}
  /// For the event loop: pipes, fifos and terminals are reopened through
  /// /proc/self/fd as a non-blocking file description of parstep's own (the
  /// one shared with other processes keeps its flags); sockets are written
  /// with MSG_DONTWAIT; regular files and /dev/null never make a writer
  /// wait and are written as they are.
  static Sink without_waiting(int fd);

  void write(std::string_view bytes);
  /// Copies [offset, offset+length) of `from_fd` (a regular file).
  void copy(int from_fd, std::uint64_t offset, std::uint64_t length);

  /// Whether bytes wait in the backlog for the reader.
  bool pending() const { return backlog_ && sent_ < backlog_->size(); }
  /// The descriptor to wait on for POLLOUT while pending().
  int fd() const { return fd_; }
  /// Sends what the reader takes now of the backlog. Throws SinkError.
  void flush();
  /// Forgets the backlog (the run was interrupted: what was not yet
  /// written is dropped).
  void drop();

 private:
  bool copy_with_sendfile(int from_fd, std::uint64_t& offset, std::uint64_t& length);
  ssize_t write_some(const char* data, std::size_t size);
  void wait_writable();
  void queue(std::string_view bytes);
  void queue_range(int from_fd, std::uint64_t offset, std::uint64_t length);

  int fd_;
  Fd own_;  ///< the non-blocking reopening of the descriptor, when made
  bool waits_ = true;
  bool socket_ = false;
  bool sendfile_works_ = true;
  std::optional<Spool> backlog_;
  std::uint64_t sent_ = 0;  ///< backlog bytes already written
};

}  // namespace parstep
