#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace parstep {

/// "[3/10] running: a, b (+3) 12s": done/total, the running steps' names
/// oldest first as far as `width` allows, and the oldest one's elapsed
/// seconds. Names are cut to fit; the line never exceeds `width` columns
/// (counting bytes, so a line of UTF-8 names is shorter, never longer).
std::string progress_text(std::size_t done, std::size_t total, const std::vector<std::string>& running,
                          std::chrono::steady_clock::duration oldest_elapsed, std::size_t width);

/// SPEC 8: the time left until every step has ended, when the history
/// knows them all: each running step's expected time left (at least 0) and
/// the waiting steps in their start order, each started on the first slot
/// to come free of `jobs` (0: no limit). nullopt when a step is unknown.
std::optional<std::chrono::milliseconds> estimate_remaining(
    const std::vector<std::optional<std::chrono::milliseconds>>& running_left,
    const std::vector<std::optional<std::chrono::milliseconds>>& waiting, unsigned jobs);

/// ", ETA 45s", ", ETA 3m05s", ", ETA 1h02m": for the status line.
std::string eta_text(std::chrono::milliseconds left);

/// A running step as the progress views show it.
struct RunningStep {
  std::string name;
  std::chrono::steady_clock::duration elapsed{};
};

/// How long a step has run: "12s", "1m05s", "2h03m".
std::string format_elapsed(std::chrono::steady_clock::duration d);

/// The heartbeat line for logs that are not terminals (SPEC 2): "parstep:
/// still running (3 of 10 done): compile (1m05s), lint (12s)\n". Printable
/// text only: control characters in names become spaces.
std::string heartbeat_text(std::size_t done, std::size_t total, const std::vector<RunningStep>& running);

/// The live view on a terminal `rows` tall: when every running step fits on
/// a line of its own within half the rows, "[3/10] running:" then one line
/// per step, oldest first ("  compile  1m05s"), joined by "\n"; otherwise
/// the one line of progress_text(). No line exceeds `width` columns.
std::string progress_view(std::size_t done, std::size_t total, const std::vector<RunningStep>& running,
                          std::size_t width, std::size_t rows);

/// The live status on a terminal (SPEC 1, --progress): drawn in place
/// with "\r", at most ten times a second, and erased ("\r\033[K") before
/// anything else is printed and at exit, so it never reaches a log.
class ProgressLine {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ProgressLine(int fd);

  /// Shows `text` now if the last draw was long enough ago, else later
  /// (see due()). `text` may hold several lines (joined by "\n").
  void update(std::string text, Clock::time_point now);
  /// Takes the line off the screen.
  void erase();
  /// When update() must be called again: a held-back draw, or the next
  /// second of the elapsed counter. nullopt when nothing is shown.
  std::optional<Clock::time_point> due() const;
  /// The terminal's width less one column, or 79.
  std::size_t width() const;
  /// The terminal's height in rows, or 24.
  std::size_t rows() const;

 private:
  void draw(Clock::time_point now);
  std::string erasure() const;  ///< takes what is shown off the screen, cursor left at its first line

  int fd_;
  std::string shown_;    ///< what is on screen; empty: nothing
  std::string pending_;  ///< what should be
  Clock::time_point drawn_at_{};
};

}  // namespace parstep
