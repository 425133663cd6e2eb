#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace parstep {

/// Removes SGR sequences (`ESC [ params m`, params only digits, ';' and
/// ':') from a stream of bytes given in chunks, for what parstep prints of a
/// --pty step when colour is off (SPEC 2). Every other byte passes as it
/// is, including other escape sequences (cursor moves, erase, `ESC [ ? 25 l`)
/// and malformed ones. A sequence cut by a chunk boundary is held until its
/// end is seen; at most kMaxHeld bytes are held (a longer "sequence" is
/// passed as text). Pure: no I/O. Does not know 8-bit CSI (0x9B), which is
/// a UTF-8 continuation byte in today's output.
class SgrFilter {
 public:
  static constexpr std::size_t kMaxHeld = 256;

  /// Appends to `out` what of `in` is printed now.
  void feed(std::string_view in, std::string& out);
  /// The end of the stream: appends the held bytes of an unfinished
  /// sequence as they are.
  void finish(std::string& out);
  /// Whether nothing was let through yet or the last byte was a newline.
  bool at_line_start() const { return last_ == '\n'; }

 private:
  enum class State : std::uint8_t { text, escape, parameters, intermediates };
  void take(char c, std::string& out);
  void end_sequence(char c, std::string& out);
  void emit(std::string_view bytes, std::string& out);

  State state_ = State::text;
  bool sgr_syntax_ = true;  ///< the held sequence's parameters are all SGR's
  std::string held_;
  char last_ = '\n';
};

/// `text` without its SGR sequences (an unfinished one at the end is kept).
std::string strip_sgr(std::string_view text);

}  // namespace parstep
