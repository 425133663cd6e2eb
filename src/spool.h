#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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
  /// Moves what the non-blocking pipe (or pty master) holds now into the
  /// file (splice, falling back to read/write). `drained`: nothing more is
  /// ready. `eof` also for a pty's EIO: Linux gives it once every slave
  /// descriptor is closed and what they wrote has been read.
  Fill fill_from(int pipe_fd);
  void append(std::string_view bytes);

  /// Lets a process write into the file directly (its stdout and stderr):
  /// the file is put in append mode; refresh() then learns its size.
  void open_for_writers();
  /// After direct writers: the file's size now; false when its filesystem
  /// is full (so what they wrote may be incomplete).
  bool refresh();
  /// Empties the file for its next use (it keeps its mode).
  void clear();

  /// Space is given back in units of this many bytes.
  static constexpr std::uint64_t kDiscardUnit = 1 << 20;
  /// Gives back the disk space of bytes [0, offset) rounded down to
  /// kDiscardUnit (bytes already printed): they read back as zeros from now
  /// on, every offset stays valid and size() is unchanged. Does nothing
  /// where the filesystem cannot punch holes. Throws std::system_error.
  void discard_before(std::uint64_t offset);
  /// Bytes at the start whose space was given back (a multiple of kDiscardUnit).
  std::uint64_t discarded() const { return discarded_; }

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
  std::uint64_t discarded_ = 0;
  bool splice_works_ = true;
  bool punch_works_ = true;
  bool appending_ = false;  ///< in append mode (open_for_writers) until fill_from()
  bool size_known_ = true;  ///< false from open_for_writers() until refresh() learns it
};

/// Spool files kept for reuse, so that a step's capture does not cost a
/// file creation (measured: ~37 us a step on ext4). The caller gives back
/// only spools no process can still write to. Owns the spools it keeps.
class SpoolPool {
 public:
  explicit SpoolPool(std::size_t keep) : keep_(keep) {}
  /// An empty spool: a kept one, or a new one.
  Spool take();
  /// Keeps `spool`, emptied, while fewer than `keep` are kept.
  void give(Spool spool);

 private:
  std::size_t keep_;
  std::vector<Spool> kept_;
};

}  // namespace parstep
