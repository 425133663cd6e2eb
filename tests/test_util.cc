#include "test_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include <gtest/gtest.h>

extern char** environ;

namespace parstep::test {

TempDir::TempDir() {
  const char* base = getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/parstep-test-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Fifo::Fifo(std::string path) : path_(std::move(path)) {
  if (mkfifo(path_.c_str(), 0600) != 0) throw std::runtime_error("mkfifo " + path_);
  fd_ = open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  // Our own writer keeps the fifo from polling as hung up between writers.
  keep_open_ = open(path_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
}

Fifo::~Fifo() {
  for (int fd : {fd_, keep_open_})
    if (fd >= 0) close(fd);
}

std::optional<std::string> Fifo::read_line(std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    auto nl = buffered_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffered_.substr(0, nl);
      buffered_.erase(0, nl + 1);
      return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buffer[4096];
    ssize_t n = read(fd_, buffer, sizeof buffer);
    if (n > 0) buffered_.append(buffer, n);
  }
}

Child::Child(const std::vector<std::string>& argv, const Options& options) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe2");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, options.stdout_fd >= 0 ? options.stdout_fd : out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, options.stderr_fd >= 0 ? options.stderr_fd : err[1], 2);
  // The test's own environment, less what would change parstep's output
  // when the tests themselves run in CI or under colour settings, and less
  // what options.env replaces.
  auto key = [](const std::string& e) { return e.substr(0, e.find('=')); };
  std::vector<std::string> dropped{"GITHUB_ACTIONS", "GITLAB_CI", "GITHUB_STEP_SUMMARY", "NO_COLOR",
                                   "CLICOLOR_FORCE", "FORCE_COLOR", "PARSTEP_OPTIONS"};
  for (const auto& e : options.env) dropped.push_back(key(e));
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    if (std::find(dropped.begin(), dropped.end(), key(*e)) == dropped.end()) env.emplace_back(*e);
  }
  for (const auto& e : options.env) env.push_back(e);
  std::vector<char*> argp, envp;
  for (const auto& a : argv) argp.push_back(const_cast<char*>(a.c_str()));
  argp.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  started_ = std::chrono::steady_clock::now();
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  if (options.own_process_group) {
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  }
  int rc = posix_spawn(&pid_, argp[0], &actions, &attributes, argp.data(), envp.data());
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  in_ = in[1];
  out_ = out[0];
  err_ = err[0];
  if (rc != 0) throw std::runtime_error("posix_spawn " + argv[0] + ": " + strerror(rc));
  fcntl(out_, F_SETFL, O_NONBLOCK);
  fcntl(err_, F_SETFL, O_NONBLOCK);
  write_stdin(options.stdin_data);
  if (options.close_stdin) close_stdin();
}

Child::~Child() {
  if (!reaped_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  for (int fd : {in_, out_, err_})
    if (fd >= 0) close(fd);
}

void Child::write_stdin(const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(in_, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("write child stdin");
    done += n;
  }
}

void Child::close_stdin() {
  if (in_ >= 0) close(in_);
  in_ = -1;
}

void Child::close_stdout() {
  if (out_ >= 0) close(out_);
  out_ = -1;
}

// Reads what is ready on stdout and stderr, waiting up to timeout_ms.
// Returns false when both are at end of file.
bool Child::pump(int timeout_ms) {
  pollfd p[2] = {{out_, POLLIN, 0}, {err_, POLLIN, 0}};
  if (out_ < 0 && err_ < 0) return false;
  poll(p, 2, timeout_ms);
  int* fds[2] = {&out_, &err_};
  std::string* bufs[2] = {&out, &err};
  for (int k = 0; k < 2; ++k) {
    if (*fds[k] < 0 || !(p[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    char buffer[65536];
    ssize_t n = read(*fds[k], buffer, sizeof buffer);
    if (n > 0) bufs[k]->append(buffer, n);
    if (n == 0) {
      close(*fds[k]);
      *fds[k] = -1;
    }
  }
  return out_ >= 0 || err_ >= 0;
}

bool Child::read_stdout_until(const std::string& text, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (out.find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= deadline || out_ < 0) return false;
    pump(50);
  }
  return true;
}

int Child::finish(std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  close_stdin();
  while (!reaped_) {
    bool open = pump(20);
    pid_t r = waitpid(pid_, &status_, open ? WNOHANG : 0);
    if (r == pid_) {
      seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
      reaped_ = true;
    } else if (std::chrono::steady_clock::now() >= deadline) {
      ADD_FAILURE() << "process " << pid_ << " still running after the limit; killed";
      kill(pid_, SIGKILL);
    }
  }
  while (pump(0)) {
  }
  return status_;
}

int Result::exit_code() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
int Result::signal() const { return WIFSIGNALED(status) ? WTERMSIG(status) : 0; }

std::string parstep_path() { return PARSTEP_BINARY; }

Child start_parstep(const std::vector<std::string>& args, const Child::Options& options) {
  std::vector<std::string> argv{parstep_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  return Child(argv, options);
}

Result finish(Child& child) {
  Result run;
  run.status = child.finish();
  run.out = child.out;
  run.err = child.err;
  run.seconds = child.seconds;
  return run;
}

Result run_parstep(const std::vector<std::string>& args, const Child::Options& options) {
  Child child = start_parstep(args, options);
  return finish(child);
}

std::string unique_sleep() {
  static std::atomic<unsigned> counter{0};
  return "7" + std::to_string(getpid() % 1000) + "." + std::to_string(++counter) + "01";
}

std::vector<pid_t> processes_with_argument(const std::string& word) {
  std::vector<pid_t> found;
  DIR* dir = opendir("/proc");
  while (dirent* entry = readdir(dir)) {
    char* end;
    long pid = strtol(entry->d_name, &end, 10);
    if (*end != '\0' || pid <= 0) continue;
    std::string cmdline = read_file("/proc/" + std::string(entry->d_name) + "/cmdline");
    std::string arg;
    std::istringstream args(cmdline);
    while (std::getline(args, arg, '\0'))
      if (arg == word) found.push_back(static_cast<pid_t>(pid));
  }
  closedir(dir);
  return found;
}

void make_fifo(const std::string& path) {
  if (mkfifo(path.c_str(), 0600) != 0) throw std::runtime_error("mkfifo " + path);
}

void release(const std::string& path) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("open fifo " + path);
  (void)!write(fd, "go\n", 3);
  close(fd);
}

std::string without_durations(const std::string& text) {
  static const std::regex duration(R"(\d+\.\d\ds\))");
  return std::regex_replace(text, duration, "T)");
}

JobserverPool::JobserverPool(int tokens) {
  if (pipe(fds_) != 0) throw std::runtime_error("pipe");
  std::string bytes(tokens, '+');
  if (write(fds_[1], bytes.data(), bytes.size()) != tokens) throw std::runtime_error("fill pool");
}

JobserverPool::~JobserverPool() {
  close(fds_[0]);
  close(fds_[1]);
}

std::string JobserverPool::makeflags() const {
  return "MAKEFLAGS= -j --jobserver-auth=" + std::to_string(fds_[0]) + "," + std::to_string(fds_[1]);
}

int JobserverPool::drain() {
  int flags = fcntl(fds_[0], F_GETFL);
  fcntl(fds_[0], F_SETFL, flags | O_NONBLOCK);
  char buffer[256];
  int count = 0;
  for (ssize_t n; (n = read(fds_[0], buffer, sizeof buffer)) > 0;) count += n;
  fcntl(fds_[0], F_SETFL, flags);
  return count;
}

bool JobserverPool::wait_token(std::chrono::milliseconds limit) {
  pollfd p{fds_[0], POLLIN, 0};
  return poll(&p, 1, static_cast<int>(limit.count())) == 1;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> with_capture(Capture capture, std::vector<std::string> args) {
  if (capture == Capture::pty) args.insert(args.begin(), "--pty");
  return args;
}

std::string capture_name(Capture capture) { return capture == Capture::pty ? "pty" : "pipe"; }

}  // namespace parstep::test
