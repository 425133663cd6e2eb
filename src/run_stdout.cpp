// The Runner's side of a slow stdout reader: blocks that the reader has not
// taken wait in the sink's backlog, and the event loop goes on (signals,
// limits, halting) while it waits for the descriptor to be writable.
#include "runner.h"

namespace parstep {

// Has the loop wake when stdout takes more, while the backlog holds bytes.
void Runner::watch_stdout() {
  bool wanted = out_.pending() && output_error_ == 0;
  if (wanted == stdout_in_epoll_) return;
  if (wanted && !os_.watch_stdout(out_.fd())) {
    // Not pollable (cannot happen for what makes a writer wait): wait here.
    while (out_.pending() && output_error_ == 0) flush_stdout();
    return;
  }
  if (!wanted) os_.unwatch(out_.fd());
  stdout_in_epoll_ = wanted;
}

// Sends what the reader takes now of the backlog.
void Runner::flush_stdout() {
  if (output_error_ != 0) return;
  if (progress_) progress_->erase();
  try {
    out_.flush();
  } catch (const SinkError& e) {
    output_error_ = e.error;
  }
}

// Whether the run must go on to let the reader take the backlog. Not after
// an interrupt or a failed write: what was not written is dropped (SPEC 2).
bool Runner::stdout_backlogged() {
  if (interrupt_ != 0 || output_error_ != 0) out_.drop();
  return out_.pending();
}

}  // namespace parstep
