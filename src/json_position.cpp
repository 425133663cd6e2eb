#include "json_position.h"

#include <algorithm>

namespace parstep {
namespace {

class Walker {
 public:
  explicit Walker(std::string_view text) : text_(text) {}

  std::optional<std::size_t> find(const std::vector<JsonPathStep>& path) {
    skip_space();
    for (const auto& step : path) {
      if (at_ >= text_.size()) return std::nullopt;
      bool found = std::holds_alternative<std::string>(step)
                       ? enter_member(std::get<std::string>(step))
                       : enter_element(std::get<std::size_t>(step));
      if (!found) return std::nullopt;
    }
    return found_at_;
  }

 private:
  void skip_space() {
    while (at_ < text_.size() && std::string_view(" \t\r\n").find(text_[at_]) != std::string_view::npos) ++at_;
  }

  // at_ is on a '"': reads the string, decoding its escapes so that keys
  // compare equal to the parser's ("\\u00fc" is "\xc3\xbc").
  std::string read_string() {
    std::string s;
    for (++at_; at_ < text_.size() && text_[at_] != '"'; ++at_) {
      if (text_[at_] != '\\' || at_ + 1 >= text_.size()) {
        s += text_[at_];
        continue;
      }
      char e = text_[++at_];
      if (e == 'u') {
        append_utf8(s, code_point());
        continue;
      }
      std::size_t k = std::string_view("bfnrt").find(e);
      s += k == std::string_view::npos ? e : "\b\f\n\r\t"[k];
    }
    ++at_;
    return s;
  }

  // After "\\u": the code point, joining a surrogate pair; at_ ends on its
  // last hex digit.
  unsigned code_point() {
    unsigned cp = hex4();
    if (cp >= 0xD800 && cp < 0xDC00 && text_.substr(at_ + 1, 2) == "\\u") {
      at_ += 2;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4() - 0xDC00);
    }
    return cp;
  }

  unsigned hex4() {
    unsigned v = 0;
    for (int i = 0; i < 4 && at_ + 1 < text_.size(); ++i) {
      char c = text_[++at_];
      v = v * 16 + static_cast<unsigned>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
  }

  static void append_utf8(std::string& s, unsigned cp) {
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | cp >> 6);
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | cp >> 12);
      s += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | cp >> 18);
      s += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
      s += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // Skips one value without recursion: nesting is counted, strings skipped whole.
  void skip_value() {
    int depth = 0;
    do {
      char c = text_[at_];
      if (c == '"') {
        read_string();
      } else if (c == '{' || c == '[') {
        ++depth;
        ++at_;
      } else if (c == '}' || c == ']') {
        --depth;
        ++at_;
      } else if (depth > 0 || std::string_view(",}] \t\r\n").find(c) == std::string_view::npos) {
        ++at_;
      } else {
        break;
      }
      if (depth == 0 && (c == '"' || c == '}' || c == ']')) break;
    } while (at_ < text_.size());
  }

  bool enter_member(const std::string& key) {
    if (text_[at_] != '{') return false;
    ++at_;
    for (skip_space(); at_ < text_.size() && text_[at_] == '"'; skip_space()) {
      std::size_t key_at = at_;
      bool match = read_string() == key;
      skip_space();
      ++at_;  // ':'
      skip_space();
      if (match) {
        found_at_ = key_at;
        return true;
      }
      skip_value();
      skip_space();
      if (at_ < text_.size() && text_[at_] == ',') ++at_;
    }
    return false;
  }

  bool enter_element(std::size_t index) {
    if (text_[at_] != '[') return false;
    ++at_;
    skip_space();
    for (std::size_t i = 0; at_ < text_.size() && text_[at_] != ']'; ++i) {
      if (i == index) {
        found_at_ = at_;
        return true;
      }
      skip_value();
      skip_space();
      if (at_ < text_.size() && text_[at_] == ',') ++at_;
      skip_space();
    }
    return false;
  }

  std::string_view text_;
  std::size_t at_ = 0;
  std::size_t found_at_ = 0;
};

}  // namespace

std::string format_json_path(const std::vector<JsonPathStep>& path) {
  std::string text;
  for (const auto& step : path) {
    if (std::holds_alternative<std::size_t>(step)) {
      // Appended piece by piece: GCC 12 warns (-Wrestrict, a false
      // positive) about "[" + std::string at -O2 and above.
      text += '[';
      text += std::to_string(std::get<std::size_t>(step));
      text += ']';
    } else {
      if (!text.empty()) text += '.';
      text += std::get<std::string>(step);
    }
  }
  return text;
}

std::optional<std::size_t> find_json_path(std::string_view json, const std::vector<JsonPathStep>& path) {
  return Walker(json).find(path);
}

TextPosition position_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::string_view before = text.substr(0, offset);
  std::size_t line = 1 + std::count(before.begin(), before.end(), '\n');
  std::size_t last_nl = before.rfind('\n');
  std::size_t column = last_nl == std::string_view::npos ? offset + 1 : offset - last_nl;
  return {line, column};
}

}  // namespace parstep
