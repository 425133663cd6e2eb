#include "atomic_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "fd.h"

namespace parstep {
namespace {

// mkostemp makes 0600 files; the final file gets what open(2) would give.
mode_t current_umask() {
  mode_t mask = umask(022);
  umask(mask);
  return mask;
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content) {
  std::string temporary = path + ".XXXXXX";
  Fd fd(mkostemp(temporary.data(), O_CLOEXEC));
  if (!fd) throw_errno("write " + path);
  auto fail = [&] {
    int err = errno;
    unlink(temporary.c_str());
    throw_errno(err, "write " + path);
  };
  for (std::size_t done = 0; done < content.size();) {
    ssize_t n = write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail();
    done += n;
  }
  if (fchmod(fd.get(), 0666 & ~current_umask()) != 0 || fsync(fd.get()) != 0) fail();
  fd.reset();
  if (rename(temporary.c_str(), path.c_str()) != 0) fail();
}

}  // namespace parstep
