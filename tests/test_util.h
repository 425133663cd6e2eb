#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace parstep::test {

/// How long a test waits for an event before calling it a hang. A guard
/// only, never a speed expectation: minutes, so that a loaded 2-core machine
/// never trips it (ctest's TIMEOUT is the outer guard).
inline constexpr std::chrono::milliseconds kHangGuard = std::chrono::minutes(5);

/// A temporary directory, removed with everything in it at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// A named pipe that a step writes a line to, so that a test waits for an
/// event (a step reached a point) instead of sleeping. Opened for reading
/// at creation, so writers never block on open.
class Fifo {
 public:
  explicit Fifo(std::string path);
  ~Fifo();
  const std::string& path() const { return path_; }
  /// The next line written to it; nullopt after `limit` (a test failure).
  std::optional<std::string> read_line(std::chrono::milliseconds limit = kHangGuard);

 private:
  std::string path_;
  int fd_ = -1;
  int keep_open_ = -1;
  std::string buffered_;
};

/// A process started with its stdin, stdout and stderr on pipes (or stdout
/// on a given descriptor).
class Child {
 public:
  struct Options {
    std::string stdin_data;
    bool close_stdin = true;  ///< close our end after writing stdin_data
    int stdout_fd = -1;       ///< use this descriptor as the child's stdout
    int stderr_fd = -1;       ///< use this descriptor as the child's stderr
    std::vector<std::string> env;  ///< extra "KEY=VALUE"
    /// In a process group of its own, so that it can stop itself (SIGTSTP)
    /// even when the test runs in an orphaned group (started in the
    /// background by a shell that has gone), where the kernel discards it.
    bool own_process_group = false;
  };
  Child(const std::vector<std::string>& argv, const Options& options);
  ~Child();
  pid_t pid() const { return pid_; }

  /// Reads stdout until it contains `text`; false after `limit`.
  bool read_stdout_until(const std::string& text,
                         std::chrono::milliseconds limit = kHangGuard);
  /// Closes our end of its stdout (the child then sees EPIPE).
  void close_stdout();
  /// Writes to its stdin.
  void write_stdin(const std::string& data);
  void close_stdin();

  /// Reads everything and waits (killing it after `limit`, which fails the
  /// test). Returns the wait status.
  int finish(std::chrono::milliseconds limit = kHangGuard);

  std::string out;  ///< stdout read so far
  std::string err;  ///< stderr read so far
  double seconds = 0;  ///< from start to exit

 private:
  bool pump(int timeout_ms);

  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
  std::chrono::steady_clock::time_point started_;
  bool reaped_ = false;
  int status_ = 0;
};

/// Result of a finished parstep run.
struct Result {
  std::string out;
  std::string err;
  int status = 0;  ///< wait status
  double seconds = 0;
  int exit_code() const;  ///< -1 when killed by a signal
  int signal() const;     ///< 0 when it exited
};

/// Waits for `child` and collects what it printed.
Result finish(Child& child);

/// The parstep binary under test.
std::string parstep_path();

/// Runs parstep with `args` to completion.
Result run_parstep(const std::vector<std::string>& args, const Child::Options& options = {});

/// Starts parstep without waiting.
Child start_parstep(const std::vector<std::string>& args, const Child::Options& options = {});

/// A number of seconds for `sleep` that no other process uses, so that a
/// test can find its sleeps by command line: "7000.<unique>".
std::string unique_sleep();

/// Live (non-zombie) processes whose command line contains `word` as one
/// argument.
std::vector<pid_t> processes_with_argument(const std::string& word);

/// Creates a named pipe that a step blocks on (`read x < PATH`) until the
/// test calls release() on it.
void make_fifo(const std::string& path);
/// Opens the fifo for writing (waiting for the step to open it) and writes a line.
void release(const std::string& path);

/// `text` with every header duration ("1.23s)") replaced by "T)".
std::string without_durations(const std::string& text);

/// A GNU make jobserver pool for parstep to join: a pipe holding `tokens`
/// bytes, its descriptors left open across exec so parstep inherits them.
class JobserverPool {
 public:
  explicit JobserverPool(int tokens);
  ~JobserverPool();
  JobserverPool(const JobserverPool&) = delete;
  JobserverPool& operator=(const JobserverPool&) = delete;
  /// "MAKEFLAGS= -j --jobserver-auth=R,W", for Child::Options::env.
  std::string makeflags() const;
  /// Takes every byte out and counts them.
  int drain();
  /// Whether a token is in the pool within `limit` (a test failure after
  /// it); takes nothing out.
  bool wait_token(std::chrono::milliseconds limit = std::chrono::minutes(2));

 private:
  int fds_[2];
};

/// How steps' output is captured: the e2e tests of output guarantees run
/// with both (SPEC 2: everything holds with --pty).
enum class Capture { pipe, pty };

/// `args` with --pty in front for Capture::pty.
std::vector<std::string> with_capture(Capture capture, std::vector<std::string> args);

/// "pipe" or "pty", for test names.
std::string capture_name(Capture capture);
inline std::ostream& operator<<(std::ostream& out, Capture capture) { return out << capture_name(capture); }

/// `text` split at newlines (a last line without one still counts).
std::vector<std::string> lines_of(const std::string& text);

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& data);

}  // namespace parstep::test
