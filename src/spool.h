#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "fd.h"

namespace parstep {

/// One step's captured output (stdout and stderr, in write order): an
/// unlinked temporary file of mode 0600 in $TMPDIR, so that output never
/// lives in parstep's memory. Owns the descriptor; appends only.
class Spool {
 public:
  /// Creates the file in $TMPDIR (or /tmp). Throws std::system_error.
  static Spool create();

  int fd() const { return fd_.get(); }
  std::uint64_t size() const { return size_; }

  enum class Fill { more, drained, eof };
  /// Moves what the non-blocking pipe holds now into the file (splice,
  /// falling back to read/write). `drained`: nothing more is ready.
  Fill fill_from(int pipe_fd);
  void append(std::string_view bytes);

  /// Bytes [offset, offset+length) of the file.
  std::string read(std::uint64_t offset, std::size_t length) const;
  /// The last `max_lines` lines, reading at most the last `max_bytes` bytes.
  std::string tail(std::size_t max_lines, std::size_t max_bytes = 8192) const;
  bool ends_with_newline() const;

 private:
  explicit Spool(Fd fd) : fd_(std::move(fd)) {}
  Fill read_from(int pipe_fd);

  Fd fd_;
  std::uint64_t size_ = 0;
  bool splice_works_ = true;
};

}  // namespace parstep
