#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fd.h"
#include "jobserver.h"

namespace parstep {

/// How a served jobserver is announced to steps (SPEC 6).
enum class JobserverStyle { fifo, pipe };

/// A GNU make jobserver pool that parstep draws from: the implicit token
/// (its own, as any make child has) plus bytes read from the pool, each
/// written back when the step it let run ends. Reads never block: parstep
/// reads through a non-blocking descriptor of its own, and EAGAIN means
/// another client won the race. Owns that descriptor and, when it serves the
/// pool, the fifo and its private directory (removed at destruction). Any
/// token still held at destruction is written back.
class Jobserver {
 public:
  static constexpr int kImplicit = -1;

  /// Joins the jobserver MAKEFLAGS describes; nullptr, with `problem` set,
  /// when it is unusable (closed descriptors, not a pipe, missing fifo).
  static std::unique_ptr<Jobserver> join(const JobserverAuth& auth, std::string& problem);
  /// Creates a pool of `jobs` (>= 1) slots in a private directory under
  /// $TMPDIR. Throws std::system_error.
  static std::unique_ptr<Jobserver> serve(unsigned jobs, JobserverStyle style);
  ~Jobserver();

  /// Readable when a token may be available; -1 when the pool is gone.
  int poll_fd() const { return broken_ ? -1 : read_.get(); }
  /// A token for one more running step: kImplicit when parstep's own is
  /// free, else a byte from the pool; nullopt when none is free now.
  std::optional<int> acquire();
  /// Gives back what acquire() returned.
  void release(int token);
  /// Bytes read from the pool and not yet written back.
  std::size_t held() const { return held_.size(); }
  /// MAKEFLAGS for steps when parstep serves; nullopt when joining (steps
  /// keep the MAKEFLAGS parstep inherited).
  const std::optional<std::string>& makeflags() const { return makeflags_; }

 private:
  Jobserver() = default;

  Fd read_;            ///< private, non-blocking
  int write_fd_ = -1;  ///< where tokens go back
  Fd owned_write_;     ///< serving: the write end parstep opened
  Fd step_read_, step_write_;  ///< serving, pipe style: inherited by steps
  bool implicit_free_ = true;
  bool broken_ = false;  ///< the pool reached end of file: its writers are gone
  std::vector<char> held_;
  std::optional<std::string> makeflags_;
  std::string fifo_, dir_;  ///< serving: removed at destruction
};

/// The style `auto` means: pipe when the `make` on PATH is older than 4.4
/// (it rejects the fifo form), else fifo.
JobserverStyle automatic_jobserver_style();

}  // namespace parstep
