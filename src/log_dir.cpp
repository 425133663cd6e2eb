#include "log_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>

#include "safe_path.h"

namespace parstep {

std::string safe_file_name(const std::string& name) {
  std::string safe;
  for (char c : name.substr(0, 100)) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-';
    safe += ok ? c : '_';
  }
  if (safe.empty() || safe == "." || safe == "..") safe = "_" + safe;
  return safe;
}

LogDir::LogDir(std::string dir) : dir_(std::move(dir)) {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error) throw std::system_error(error, "create log directory " + dir_);
  if (auto why = unsafe_log_dir(dir_)) throw std::runtime_error(*why);
}

// Each base name remembers the next suffix to try, so that n names sharing
// one base cost O(n) in all, not O(n^2).
std::string LogDir::path_for(const std::string& name) {
  std::string base = safe_file_name(name);
  std::string file = base;
  if (!taken_.insert(file).second) {
    unsigned& n = next_suffix_[base];
    if (n == 0) n = 2;
    do file = base + "-" + std::to_string(n++);
    while (!taken_.insert(file).second);
  }
  return dir_ + "/" + file + ".log";
}

Fd LogDir::open(const std::string& path) {
  // O_NONBLOCK: opening a fifo must not wait for a reader (it is refused below).
  Fd out(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0666));
  if (!out && errno == ELOOP) throw std::runtime_error(path + " is a symlink; refusing to write the log through it");
  if (!out && errno == ENXIO) throw std::runtime_error(path + " is not a regular file; refusing to write the log to it");
  if (!out) throw_errno("write log " + path);
  struct stat st;
  if (fstat(out.get(), &st) != 0) throw_errno("write log " + path);
  if (!S_ISREG(st.st_mode)) throw std::runtime_error(path + " is not a regular file; refusing to write the log to it");
  if (st.st_uid != geteuid())
    throw std::runtime_error(path + " belongs to another user; refusing to write the log to it");
  int flags = fcntl(out.get(), F_GETFL);
  if (ftruncate(out.get(), 0) != 0 || flags < 0 || fcntl(out.get(), F_SETFL, flags & ~O_NONBLOCK) != 0)
    throw_errno("write log " + path);
  return out;
}

void LogDir::copy(const std::string& path, int from_fd, std::uint64_t offset, std::uint64_t length, int to_fd) {
  loff_t from = static_cast<loff_t>(offset);
  std::uint64_t end = offset + length;
  while (static_cast<std::uint64_t>(from) < end) {
    ssize_t n = copy_file_range(from_fd, &from, to_fd, nullptr, end - from, 0);
    if (n > 0) continue;
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) break;
    throw_errno("write log " + path);
  }
  char buffer[65536];  // what copy_file_range would not do
  while (static_cast<std::uint64_t>(from) < end) {
    std::size_t want = std::min<std::uint64_t>(sizeof buffer, end - from);
    ssize_t n = pread(from_fd, buffer, want, from);
    if (n <= 0) throw_errno(n == 0 ? EIO : errno, "write log " + path);
    for (ssize_t done = 0; done < n;) {
      ssize_t w = ::write(to_fd, buffer + done, n - done);
      if (w < 0 && errno != EINTR) throw_errno("write log " + path);
      if (w > 0) done += w;
    }
    from += n;
  }
}

}  // namespace parstep
