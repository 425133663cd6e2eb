#include "jobserver_posix.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace parstep {
namespace {

bool is_fifo(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

// Steps inherit the jobserver descriptors (they were marked close-on-exec
// with everything else parstep inherited).
void keep_across_exec(int fd) {
  int flags = fcntl(fd, F_GETFD);
  if (flags >= 0) fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
}

}  // namespace

std::unique_ptr<Jobserver> Jobserver::join(const JobserverAuth& auth, std::string& problem) {
  std::unique_ptr<Jobserver> js(new Jobserver);
  if (auth.kind == JobserverAuth::Kind::fds) {
    std::string fds = std::to_string(auth.read_fd) + "," + std::to_string(auth.write_fd);
    if (!is_fifo(auth.read_fd) || !is_fifo(auth.write_fd)) {
      problem = "its descriptors " + fds + " are not open pipes (a make recipe without '+' closes them)";
      return nullptr;
    }
    // A description of our own, so O_NONBLOCK does not change the reads of
    // make and its other children, who share the inherited one.
    std::string self = "/proc/self/fd/" + std::to_string(auth.read_fd);
    js->read_ = Fd(open(self.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!js->read_) {
      problem = "cannot reopen its read descriptor " + self + ": " + std::strerror(errno);
      return nullptr;
    }
    js->write_fd_ = auth.write_fd;
    keep_across_exec(auth.read_fd);
    keep_across_exec(auth.write_fd);
    return js;
  }
  if (auth.kind == JobserverAuth::Kind::fifo) {
    js->read_ = Fd(open(auth.fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!js->read_ || !is_fifo(js->read_.get())) {
      problem = "its fifo " + auth.fifo + " cannot be opened" + (js->read_ ? ": not a fifo" : std::string(": ") + std::strerror(errno));
      return nullptr;
    }
    js->owned_write_ = Fd(open(auth.fifo.c_str(), O_WRONLY | O_CLOEXEC));
    if (!js->owned_write_) {
      problem = "its fifo " + auth.fifo + " cannot be opened for writing: " + std::strerror(errno);
      return nullptr;
    }
    js->write_fd_ = js->owned_write_.get();
    return js;
  }
  problem = "MAKEFLAGS names no jobserver";
  return nullptr;
}

std::unique_ptr<Jobserver> Jobserver::serve(unsigned jobs, JobserverStyle style, std::string_view inherited) {
  std::unique_ptr<Jobserver> js(new Jobserver);
  const char* tmp = getenv("TMPDIR");
  std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/parstep-jobserver-XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) throw_errno("create jobserver directory " + dir);  // mode 0700
  js->dir_ = dir;
  std::string fifo = dir + "/fifo";
  if (mkfifo(fifo.c_str(), 0600) != 0) throw_errno("create jobserver fifo " + fifo);
  js->fifo_ = fifo;
  js->read_ = Fd(open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  js->owned_write_ = Fd(open(fifo.c_str(), O_WRONLY | O_CLOEXEC));
  if (!js->read_ || !js->owned_write_) throw_errno("open jobserver fifo " + fifo);
  js->write_fd_ = js->owned_write_.get();
  // A pipe holds 64 KiB unless grown: jobs - 1 tokens must fit at once, or
  // the write below would block for ever (-j 100000).
  if (jobs - 1 > 65536 && fcntl(js->write_fd_, F_SETPIPE_SZ, static_cast<int>(jobs - 1)) < 0)
    throw_errno("make the jobserver fifo hold " + std::to_string(jobs - 1) + " tokens");
  std::string tokens(jobs - 1, '+');
  if (!tokens.empty() && write(js->write_fd_, tokens.data(), tokens.size()) != static_cast<ssize_t>(tokens.size()))
    throw_errno("fill jobserver fifo " + fifo);

  std::string auth = "--jobserver-auth=fifo:" + fifo;
  std::string pipe_auth;
  if (style != JobserverStyle::fifo) {
    // make <= 4.3 takes only inherited descriptors: two on the same fifo.
    js->step_read_ = Fd(open(fifo.c_str(), O_RDONLY));
    js->step_write_ = Fd(open(fifo.c_str(), O_WRONLY));
    if (!js->step_read_ || !js->step_write_) throw_errno("open jobserver fifo " + fifo);
    std::string fds = std::to_string(js->step_read_.get()) + "," + std::to_string(js->step_write_.get());
    if (style == JobserverStyle::pipe) auth = "--jobserver-auth=" + fds;
    else pipe_auth = "--jobserver-a=" + fds;
  }
  js->makeflags_ = makeflags_for_steps(inherited, jobs, auth, pipe_auth);
  return js;
}

JobToken& JobToken::operator=(JobToken&& other) noexcept {
  if (this != &other) {
    if (pool_) pool_->give_back(byte_);
    pool_ = std::exchange(other.pool_, nullptr);
    byte_ = other.byte_;
  }
  return *this;
}

JobToken::~JobToken() {
  if (pool_) pool_->give_back(byte_);
}

Jobserver::~Jobserver() {
  if (!fifo_.empty()) unlink(fifo_.c_str());
  if (!dir_.empty()) rmdir(dir_.c_str());
}

void Jobserver::remove_files() const noexcept {
  if (!fifo_.empty()) unlink(fifo_.c_str());
  if (!dir_.empty()) rmdir(dir_.c_str());
}

std::optional<JobToken> Jobserver::try_take() {
  if (broken_) return std::nullopt;
  char token;
  for (;;) {
    ssize_t n = read(read_.get(), &token, 1);
    if (n == 1) return JobToken(this, token);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) broken_ = true;  // every writer is gone: no token will come
    return std::nullopt;         // EAGAIN: another client was faster
  }
}

void Jobserver::give_back(char byte) {
  while (write(write_fd_, &byte, 1) < 0 && errno == EINTR) {
  }
}

unsigned Jobserver::max_slots() {
  // What F_SETPIPE_SZ may grow a pipe to without privileges.
  unsigned bytes = 1024 * 1024;
  if (FILE* f = std::fopen("/proc/sys/fs/pipe-max-size", "r")) {
    if (std::fscanf(f, "%u", &bytes) != 1) bytes = 1024 * 1024;
    std::fclose(f);
  }
  return bytes;
}

JobserverStyle automatic_jobserver_style() {
  FILE* make = popen("make --version 2>/dev/null", "r");
  if (make == nullptr) return JobserverStyle::fifo;
  char line[256] = {};
  bool got = std::fgets(line, sizeof line, make) != nullptr;
  pclose(make);
  auto version = got ? make_version(line) : std::nullopt;
  if (!version) return JobserverStyle::both;
  if (*version >= std::pair{4, 4}) return JobserverStyle::fifo;
  return *version >= std::pair{4, 2} ? JobserverStyle::both : JobserverStyle::pipe;
}

}  // namespace parstep
