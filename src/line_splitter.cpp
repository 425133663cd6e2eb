#include "line_splitter.h"

#include <cstring>

namespace parstep {

void LineSplitter::feed(std::string_view chunk, std::vector<Line>& lines) {
  const char* data = chunk.data();
  std::size_t pos = 0;
  while (pos < chunk.size()) {
    const void* nl = std::memchr(data + pos, '\n', chunk.size() - pos);
    if (nl == nullptr) break;
    pos = static_cast<const char*>(nl) - data + 1;
    lines.push_back({line_begin_, consumed_ + pos});
    line_begin_ = consumed_ + pos;
  }
  consumed_ += chunk.size();
}

std::optional<LineSplitter::Line> LineSplitter::finish() const {
  if (line_begin_ == consumed_) return std::nullopt;
  return Line{line_begin_, consumed_};
}

}  // namespace parstep
