#pragma once

#include <string>
#include <utility>

namespace parstep {

/// Owns one file descriptor and closes it once. Move-only.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void reset();

 private:
  int fd_ = -1;
};

/// Throws std::system_error for errno, its message naming `what` failed
/// ("open spool in /tmp: No space left on device").
[[noreturn]] void throw_errno(const std::string& what);
/// Everything `fd` reads until end of file. Throws std::system_error
/// ("read: ...") when a read fails.
std::string read_to_end(int fd);
[[noreturn]] void throw_errno(int err, const std::string& what);

}  // namespace parstep
