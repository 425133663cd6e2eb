#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fd.h"
#include "jobserver.h"

namespace parstep {

/// How a served jobserver is announced to steps (SPEC 6). `both`: the fifo
/// form, then the pipe form as "--jobserver-a=R,W". make <= 4.3 reads its
/// options with getopt_long, which takes the unambiguous abbreviation as its
/// --jobserver-auth, the last one given; ninja >= 1.13, make >= 4.4,
/// parstep and cargo match "--jobserver-auth=" exactly and take the fifo.
enum class JobserverStyle { fifo, pipe, both };

class Jobserver;

/// One token read from a jobserver pool: move-only, written back to the pool
/// when destroyed. A token is not tied to a step: parstep holds (running
/// steps - 1) of them and gives any one back (SPEC 6 v2).
class JobToken {
 public:
  JobToken(JobToken&& other) noexcept : pool_(std::exchange(other.pool_, nullptr)), byte_(other.byte_) {}
  JobToken& operator=(JobToken&& other) noexcept;
  JobToken(const JobToken&) = delete;
  JobToken& operator=(const JobToken&) = delete;
  ~JobToken();

 private:
  friend class Jobserver;
  JobToken(Jobserver* pool, char byte) : pool_(pool), byte_(byte) {}
  Jobserver* pool_;  ///< null once moved from
  char byte_;        ///< written back as read (make 4.4 reads meaning into it)
};

/// A GNU make jobserver pool that parstep draws from. The implicit slot
/// (the one any make child has) is not here: the caller owns it and takes a
/// token only for each further concurrent step. Reads never block: parstep
/// reads through a non-blocking descriptor of its own, and EAGAIN means
/// another client won the race. Owns that descriptor and, when it serves the
/// pool, the fifo and its private directory (removed at destruction, and by
/// remove_files() from a dying process). Outlives every token it gave.
class Jobserver {
 public:
  /// The most slots a served pool may have: what one pipe can hold after
  /// F_SETPIPE_SZ to the system's pipe-max-size (1 MiB by default).
  static unsigned max_slots();

  /// Joins the jobserver MAKEFLAGS describes; nullptr, with `problem` set,
  /// when it is unusable (closed descriptors, not a pipe, missing fifo).
  static std::unique_ptr<Jobserver> join(const JobserverAuth& auth, std::string& problem);
  /// Creates a pool of `jobs` (1 to max_slots()) slots in a private
  /// directory under $TMPDIR; steps get `inherited` (parstep's MAKEFLAGS)
  /// with this pool in place of any jobserver and -j it names. Throws
  /// std::system_error.
  static std::unique_ptr<Jobserver> serve(unsigned jobs, JobserverStyle style, std::string_view inherited);
  ~Jobserver();

  /// Readable when a token may be available; -1 when the pool is gone.
  int poll_fd() const { return broken_ ? -1 : read_.get(); }
  /// A token from the pool; nullopt when none is free now.
  std::optional<JobToken> try_take();
  /// MAKEFLAGS for steps when parstep serves; nullopt when joining (steps
  /// keep the MAKEFLAGS parstep inherited).
  const std::optional<std::string>& makeflags() const { return makeflags_; }
  /// Removes the served fifo and directory now; async-signal-safe (no
  /// allocation), for a process about to die by a signal.
  void remove_files() const noexcept;

 private:
  friend class JobToken;
  Jobserver() = default;
  void give_back(char byte);

  Fd read_;            ///< private, non-blocking
  int write_fd_ = -1;  ///< where tokens go back
  Fd owned_write_;     ///< serving: the write end parstep opened
  Fd step_read_, step_write_;  ///< serving, pipe style: inherited by steps
  bool broken_ = false;  ///< the pool reached end of file: its writers are gone
  std::optional<std::string> makeflags_;
  std::string fifo_, dir_;  ///< serving: removed at destruction
};

/// The style `auto` means: fifo when the `make` on PATH is 4.4 or newer
/// (every client then reads it), pipe when it is older than 4.2 (its
/// getopt knows no --jobserver-auth to abbreviate), else (4.2, 4.3, or no
/// make) both.
JobserverStyle automatic_jobserver_style();

}  // namespace parstep
