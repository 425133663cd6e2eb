#include "progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <queue>

#include "messages.h"

namespace parstep {
namespace {

constexpr auto kMinInterval = std::chrono::milliseconds(100);
constexpr auto kTick = std::chrono::seconds(1);

void write_all(int fd, const std::string& text) {
  for (std::size_t done = 0; done < text.size();) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;  // a terminal that fails to take a status line: give up on it
    done += n;
  }
}

}  // namespace

std::string progress_text(std::size_t done, std::size_t total, const std::vector<std::string>& running,
                          std::chrono::steady_clock::duration oldest_elapsed, std::size_t width) {
  // Built with += : GCC 12 warns (-Wrestrict, a false positive) about
  // "[" + std::string at -O3.
  std::string line = "[";
  line += std::to_string(done);
  line += '/';
  line += std::to_string(total);
  line += ']';
  if (!running.empty()) {
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(oldest_elapsed).count();
    std::string tail = " ";
    tail += std::to_string(secs);
    tail += 's';
    line += " running: ";
    // The first name always; later ones while they fit with room kept for
    // "(+N)", the count of those left out.
    for (std::size_t i = 0; i < running.size(); ++i) {
      std::string piece = (i ? ", " : "") + running[i];
      std::size_t after = running.size() - i - 1;
      std::size_t reserve = after ? std::to_string(after).size() + 4 : 0;
      if (i > 0 && line.size() + piece.size() + reserve + tail.size() > width) {
        line += " (+" + std::to_string(running.size() - i) + ")";
        break;
      }
      line += piece;
    }
    line += tail;
  }
  for (char& c : line)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return line.size() > width ? line.substr(0, width) : line;
}

std::optional<std::chrono::milliseconds> estimate_remaining(
    const std::vector<std::optional<std::chrono::milliseconds>>& running_left,
    const std::vector<std::optional<std::chrono::milliseconds>>& waiting, unsigned jobs) {
  using ms = std::chrono::milliseconds;
  // Min-heap of when each slot comes free.
  std::priority_queue<ms, std::vector<ms>, std::greater<>> free_at;
  for (const auto& left : running_left) {
    if (!left) return std::nullopt;
    free_at.push(std::max(*left, ms(0)));
  }
  std::size_t slots = jobs == 0 ? running_left.size() + waiting.size() : std::max<std::size_t>(jobs, running_left.size());
  while (free_at.size() < slots) free_at.push(ms(0));
  ms end(0);
  for (const auto& expected : waiting) {
    if (!expected) return std::nullopt;
    ms start = free_at.top();
    free_at.pop();
    free_at.push(start + *expected);
  }
  for (; !free_at.empty(); free_at.pop()) end = std::max(end, free_at.top());
  return end;
}

std::string eta_text(std::chrono::milliseconds left) {
  long long s = (left.count() + 999) / 1000;  // never shows 0s while something runs
  char text[32];
  if (s < 60) std::snprintf(text, sizeof text, ", ETA %llds", s);
  else if (s < 3600) std::snprintf(text, sizeof text, ", ETA %lldm%02llds", s / 60, s % 60);
  else std::snprintf(text, sizeof text, ", ETA %lldh%02lldm", s / 3600, s / 60 % 60);
  return text;
}

std::string format_elapsed(std::chrono::steady_clock::duration d) {
  long long s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  char text[32];
  if (s < 60) std::snprintf(text, sizeof text, "%llds", s);
  else if (s < 3600) std::snprintf(text, sizeof text, "%lldm%02llds", s / 60, s % 60);
  else std::snprintf(text, sizeof text, "%lldh%02lldm", s / 3600, s / 60 % 60);
  return text;
}

namespace {

std::string printable(std::string text) {
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return text;
}

std::string cut(std::string line, std::size_t width) { return line.size() > width ? line.substr(0, width) : line; }

}  // namespace

std::string heartbeat_text(std::size_t done, std::size_t total, const std::vector<RunningStep>& running) {
  std::string line = "still running (" + std::to_string(done) + " of " + std::to_string(total) + " done):";
  for (std::size_t i = 0; i < running.size(); ++i)
    line += (i ? ", " : " ") + printable(running[i].name) + " (" + format_elapsed(running[i].elapsed) + ")";
  return message_line(line);
}

std::string progress_view(std::size_t done, std::size_t total, const std::vector<RunningStep>& running,
                          std::size_t width, std::size_t rows) {
  if (running.empty() || running.size() + 1 > rows / 2) {
    std::vector<std::string> names;
    for (const auto& r : running) names.push_back(r.name);
    return progress_text(done, total, names, running.empty() ? std::chrono::steady_clock::duration{} : running[0].elapsed,
                         width);
  }
  std::string view = cut("[" + std::to_string(done) + "/" + std::to_string(total) + "] running:", width);
  for (const auto& r : running) {
    std::string elapsed = "  " + format_elapsed(r.elapsed);
    std::string name = printable(r.name);
    std::size_t room = width > elapsed.size() + 2 ? width - elapsed.size() - 2 : 0;
    view += "\n" + cut("  " + cut(name, room) + elapsed, width);
  }
  return view;
}

ProgressLine::ProgressLine(int fd) : fd_(fd) {}

std::size_t ProgressLine::rows() const {
  winsize size{};
  if (ioctl(fd_, TIOCGWINSZ, &size) == 0 && size.ws_row > 0) return size.ws_row;
  return 24;
}

std::string ProgressLine::erasure() const {
  std::string text = "\r\033[K";
  for (char c : shown_)
    if (c == '\n') text += "\033[A\033[K";
  return text;
}

std::size_t ProgressLine::width() const {
  winsize size{};
  if (ioctl(fd_, TIOCGWINSZ, &size) == 0 && size.ws_col > 1) return size.ws_col - 1;
  return 79;
}

void ProgressLine::update(std::string text, Clock::time_point now) {
  pending_ = std::move(text);
  if (now - drawn_at_ >= kMinInterval) draw(now);
}

void ProgressLine::draw(Clock::time_point now) {
  if (pending_ != shown_) write_all(fd_, erasure() + pending_);
  shown_ = pending_;
  drawn_at_ = now;
}

void ProgressLine::erase() {
  if (shown_.empty()) return;
  write_all(fd_, erasure());
  shown_.clear();
}

std::optional<ProgressLine::Clock::time_point> ProgressLine::due() const {
  if (pending_.empty()) return std::nullopt;
  if (pending_ != shown_) return drawn_at_ + kMinInterval;
  return drawn_at_ + kTick;
}

}  // namespace parstep
