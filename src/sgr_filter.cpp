#include "sgr_filter.h"

#include <utility>

namespace parstep {
namespace {

constexpr char kEscape = '\x1b';

bool parameter_byte(char c) { return c >= 0x30 && c <= 0x3f; }
bool intermediate_byte(char c) { return c >= 0x20 && c <= 0x2f; }
bool final_byte(char c) { return c >= 0x40 && c <= 0x7e; }
// SGR's parameters: numbers separated by ';' (or ':' within one, ISO 8613-6).
bool sgr_parameter(char c) { return c >= '0' && c <= ';'; }

}  // namespace

void SgrFilter::feed(std::string_view in, std::string& out) {
  // Runs of plain text are copied at once: most output has no escape.
  while (!in.empty()) {
    if (state_ == State::text) {
      std::size_t esc = in.find(kEscape);
      emit(in.substr(0, esc), out);
      if (esc == std::string_view::npos) return;
      in.remove_prefix(esc);
    }
    take(in.front(), out);
    in.remove_prefix(1);
  }
}

void SgrFilter::take(char c, std::string& out) {
  switch (state_) {
    case State::text:
      if (c != kEscape) return emit({&c, 1}, out);
      held_.assign(1, c);
      state_ = State::escape;
      return;
    case State::escape:
      if (c == '[') {
        held_ += c;
        sgr_syntax_ = true;
        state_ = State::parameters;
        return;
      }
      // Not a CSI: ESC and this byte are text (a second ESC may start one).
      emit(std::exchange(held_, {}), out);
      state_ = State::text;
      return take(c, out);
    case State::parameters:
    case State::intermediates:
      return end_sequence(c, out);
  }
}

// Inside `ESC [`: parameters, then intermediates, then one final byte.
void SgrFilter::end_sequence(char c, std::string& out) {
  bool parameter = state_ == State::parameters && parameter_byte(c);
  if ((parameter || intermediate_byte(c)) && held_.size() < kMaxHeld) {
    held_ += c;
    sgr_syntax_ = sgr_syntax_ && parameter && sgr_parameter(c);
    if (!parameter) state_ = State::intermediates;
    return;
  }
  state_ = State::text;
  if (final_byte(c) && c == 'm' && sgr_syntax_) {
    held_.clear();
    return;
  }
  emit(std::exchange(held_, {}), out);
  if (final_byte(c)) emit({&c, 1}, out);
  else take(c, out);  // a control byte or an overlong sequence: text from here
}

void SgrFilter::finish(std::string& out) {
  emit(std::exchange(held_, {}), out);
  state_ = State::text;
}

void SgrFilter::emit(std::string_view bytes, std::string& out) {
  if (bytes.empty()) return;
  out.append(bytes);
  last_ = bytes.back();
}

std::string strip_sgr(std::string_view text) {
  SgrFilter filter;
  std::string out;
  filter.feed(text, out);
  filter.finish(out);
  return out;
}

}  // namespace parstep
