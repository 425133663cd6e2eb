#pragma once

#include <sys/ioctl.h>

#include <initializer_list>
#include <optional>
#include <string>

#include "fd.h"

namespace parstep {

/// One pseudo-terminal for one step (--pty, SPEC 2): the master parstep
/// reads (non-blocking) and the slave that becomes the step's stdout and
/// stderr. Both are close-on-exec (spawn_process() dup2s the slave onto 1
/// and 2, so no other step inherits either). The slave is opened
/// O_NOCTTY: it is no one's controlling terminal (the step stays in
/// parstep's session, in its own process group, as without --pty).
/// Its output processing is off (cfmakeraw): the master reads exactly the
/// bytes the step wrote. Reading the master gives EIO once every slave
/// descriptor is closed, after what was written has been read: that is its
/// end of file.
struct Pty {
  Fd master;
  Fd slave;
};

/// Opens a pty in raw mode with window size `size`. Throws
/// std::system_error (the errno of the step that failed, e.g. ENOENT or
/// ENOSPC when /dev/ptmx is missing or kernel.pty.max is reached).
Pty open_pty(const winsize& size);

/// The window size of the first of `fds` that is a terminal with a size,
/// else 80 columns by 24 rows.
winsize terminal_size(std::initializer_list<int> fds);

/// Hands out ptys for a run's steps (--pty). When none can be had, the
/// step is to write to a pipe instead, and the run is told so once.
class PtySource {
 public:
  /// A pty sized like the first of `terminals` that is a terminal; nullopt
  /// when none can be had, with `warning` set the first time. Throws
  /// std::system_error on a shortage of descriptors or memory (EMFILE,
  /// ENFILE, ENOMEM), which a pipe would suffer as much.
  std::optional<Pty> open(std::initializer_list<int> terminals, std::string& warning);

 private:
  bool warned_ = false;
};

}  // namespace parstep
