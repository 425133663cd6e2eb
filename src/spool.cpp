#include "spool.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace parstep {
namespace {

std::string spool_dir() {
  const char* dir = getenv("TMPDIR");
  return dir != nullptr && *dir != '\0' ? dir : "/tmp";
}

// O_TMPFILE: the file never has a name. Where the filesystem lacks it,
// mkostemp + unlink leaves a nameless file too (a moment later).
Fd open_unlinked(const std::string& dir) {
  int fd = open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return Fd(fd);
  if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
    throw_errno("create spool file in " + dir);
  std::string path = dir + "/parstep-XXXXXX";
  fd = mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) throw_errno("create spool file in " + dir);
  unlink(path.c_str());
  return Fd(fd);
}

}  // namespace

Spool Spool::create() { return Spool(open_unlinked(spool_dir())); }

Spool::Fill Spool::fill_from(int pipe_fd) {
  if (appending_) {
    int flags = fcntl(fd(), F_GETFL);
    if (flags < 0 || fcntl(fd(), F_SETFL, flags & ~O_APPEND) != 0) throw_errno("read a step's output");
    appending_ = false;
  }
  // A budget per call keeps one fast writer from starving the event loop.
  for (std::uint64_t budget = 8u << 20, start = size_; splice_works_;) {
    if (size_ - start >= budget) return Fill::more;
    loff_t offset = static_cast<loff_t>(size_);
    ssize_t n = splice(pipe_fd, nullptr, fd(), &offset, 1 << 20, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n > 0) {
      size_ += n;
      continue;
    }
    if (n == 0) return Fill::eof;
    if (errno == EINTR) continue;
    if (errno == EAGAIN) return Fill::drained;
    if (errno == EIO) return Fill::eof;
    if (errno != EINVAL && errno != ENOSYS) throw_errno("capture step output");
    splice_works_ = false;
  }
  return read_from(pipe_fd);
}

Spool::Fill Spool::read_from(int pipe_fd) {
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(pipe_fd, buffer, sizeof buffer);
    if (n > 0) {
      append({buffer, static_cast<std::size_t>(n)});
      continue;
    }
    if (n == 0) return Fill::eof;
    if (errno == EINTR) continue;
    if (errno == EAGAIN) return Fill::drained;
    if (errno == EIO) return Fill::eof;  // a pty whose slave is closed everywhere, read to its end
    throw_errno("capture step output");
  }
}

void Spool::append(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = pwrite(fd(), bytes.data(), bytes.size(), static_cast<off_t>(size_));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("write spool file");
    size_ += n;
    bytes.remove_prefix(n);
  }
}

std::string Spool::read(std::uint64_t offset, std::size_t length) const {
  std::string bytes(length, '\0');
  std::size_t got = 0;
  while (got < length) {
    ssize_t n = pread(fd(), bytes.data() + got, length - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read spool file");
    if (n == 0) break;
    got += n;
  }
  bytes.resize(got);
  return bytes;
}

std::string Spool::tail(std::size_t max_lines, std::size_t max_bytes) const {
  std::uint64_t start = size_ > max_bytes ? size_ - max_bytes : 0;
  std::string text = read(start, size_ - start);
  if (!text.empty() && text.back() == '\n') text.pop_back();
  // Walk back over max_lines newlines; the kept text starts after the last one found.
  std::size_t begin = text.size();
  for (std::size_t lines = 0; lines < max_lines; ++lines) {
    std::size_t nl = begin == 0 ? std::string::npos : text.rfind('\n', begin - 1);
    if (nl == std::string::npos) return text;
    begin = nl;
  }
  return text.substr(begin + 1);
}

void Spool::open_for_writers() {
  size_known_ = false;
  if (appending_) return;
  int flags = fcntl(fd(), F_GETFL);
  if (flags < 0 || fcntl(fd(), F_SETFL, flags | O_APPEND) != 0) throw_errno("set up spool file");
  appending_ = true;
}

bool Spool::refresh() {
  struct stat st;
  if (fstat(fd(), &st) == 0) {
    size_ = static_cast<std::uint64_t>(st.st_size);
    size_known_ = true;
  }
  struct statfs fs;
  return fstatfs(fd(), &fs) != 0 || fs.f_bavail > 0;
}

// A spool stays in append mode when it is reused: the next step is most
// likely a direct writer again. fill_from() leaves the mode, as splice
// refuses a target in append mode; pwrite at the end is the same in both.
// A file known to be empty (a step that printed nothing) needs no truncate.
void Spool::clear() {
  bool empty = size_known_ && size_ == 0 && discarded_ == 0;
  if (!empty && ftruncate(fd(), 0) != 0) throw_errno("reuse spool file");
  size_known_ = true;
  size_ = 0;
  discarded_ = 0;
}

void Spool::discard_before(std::uint64_t offset) {
  std::uint64_t end = offset / kDiscardUnit * kDiscardUnit;
  if (!punch_works_ || end <= discarded_) return;
  int mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
  int rc;
  do rc = fallocate(fd(), mode, static_cast<off_t>(discarded_), static_cast<off_t>(end - discarded_));
  while (rc != 0 && errno == EINTR);
  if (rc != 0 && (errno == EOPNOTSUPP || errno == ENOSYS)) {
    punch_works_ = false;  // this filesystem keeps every byte: the old bound
    return;
  }
  if (rc != 0) throw_errno("free printed output in spool file");
  discarded_ = end;
}

Spool SpoolPool::take() {
  if (kept_.empty()) return Spool::create();
  Spool spool = std::move(kept_.back());
  kept_.pop_back();
  return spool;
}

void SpoolPool::give(Spool spool) {
  if (kept_.size() >= keep_) return;
  try {
    spool.clear();
    kept_.push_back(std::move(spool));
  } catch (const std::system_error&) {
    // an unusable spool is just not kept
  }
}

bool Spool::ends_with_newline() const { return size_ > 0 && read(size_ - 1, 1) == "\n"; }

}  // namespace parstep
