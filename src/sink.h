#pragma once

#include <cstdint>
#include <stdexcept>
#include <string_view>

namespace parstep {

/// Writing to parstep's stdout failed; `error` is the errno (EPIPE when the
/// reader went away).
struct SinkError : std::runtime_error {
  explicit SinkError(int err);
  int error;
};

/// parstep's stdout. Copies file ranges with sendfile(2) where the
/// descriptor takes it (pipes, terminals, /dev/null, plain files) and falls
/// back to pread/write where it does not (files opened O_APPEND). Waits when
/// the descriptor is non-blocking and full. Does not own the descriptor.
class Sink {
 public:
  explicit Sink(int fd) : fd_(fd) {}

  void write(std::string_view bytes);
  /// Copies [offset, offset+length) of `from_fd` (a regular file).
  void copy(int from_fd, std::uint64_t offset, std::uint64_t length);

 private:
  bool copy_with_sendfile(int from_fd, std::uint64_t& offset, std::uint64_t& length);
  void wait_writable();

  int fd_;
  bool sendfile_works_ = true;
};

}  // namespace parstep
