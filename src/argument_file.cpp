#include "argument_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "fd.h"

namespace parstep {

std::optional<std::string> read_argument_file(const std::string& path, std::string& problem) {
  // O_NONBLOCK: opening a fifo must not wait for a writer.
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  struct stat st;
  if (!fd || fstat(fd.get(), &st) != 0) {
    problem = "cannot read " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode)) {
    problem = path + " is not a regular file";
    return std::nullopt;
  }
  std::string bytes;
  char buffer[16384];
  for (ssize_t n; (n = read(fd.get(), buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      problem = "cannot read " + path + ": " + std::strerror(errno);
      return std::nullopt;
    }
    bytes.append(buffer, static_cast<std::size_t>(n));
    if (bytes.size() > kMaxArgumentBytes) {
      problem = path + " holds more than " + std::to_string(kMaxArgumentBytes) + " bytes, the most one argument may have";
      return std::nullopt;
    }
  }
  return bytes;
}

}  // namespace parstep
