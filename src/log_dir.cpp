#include "log_dir.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>

#include "fd.h"

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
}

std::string LogDir::path_for(const std::string& name) {
  std::string base = safe_file_name(name);
  std::string file = base;
  for (unsigned n = 2; !taken_.insert(file).second; ++n) file = base + "-" + std::to_string(n);
  return dir_ + "/" + file + ".log";
}

void LogDir::write(const std::string& path, int from_fd, std::uint64_t length) {
  // Never through a symlink: the directory may be shared with other users.
  Fd out(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (!out && errno == ELOOP) throw std::runtime_error(path + " is a symlink; refusing to write the log through it");
  if (!out) throw_errno("write log " + path);
  loff_t offset = 0;
  while (static_cast<std::uint64_t>(offset) < length) {
    ssize_t n = copy_file_range(from_fd, &offset, out.get(), nullptr, length - offset, 0);
    if (n > 0) continue;
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) break;
    throw_errno("write log " + path);
  }
  char buffer[65536];  // what copy_file_range would not do
  while (static_cast<std::uint64_t>(offset) < length) {
    ssize_t n = pread(from_fd, buffer, sizeof buffer, offset);
    if (n <= 0) throw_errno(n == 0 ? EIO : errno, "write log " + path);
    for (ssize_t done = 0; done < n;) {
      ssize_t w = ::write(out.get(), buffer + done, n - done);
      if (w < 0 && errno != EINTR) throw_errno("write log " + path);
      if (w > 0) done += w;
    }
    offset += n;
  }
}

}  // namespace parstep
