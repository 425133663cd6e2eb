// libFuzzer harness for the line-mode splitter: fed in random chunks, the
// lines it reports plus its final line tile the input exactly, and each
// line but the last ends at its only newline.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "line_splitter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::size_t chunk = 1 + data[0] % 17;  // the first byte picks the chunk size
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  parstep::LineSplitter splitter;
  std::vector<parstep::LineSplitter::Line> lines;
  for (std::size_t at = 0; at < text.size(); at += chunk) splitter.feed(text.substr(at, chunk), lines);
  if (auto last = splitter.finish()) lines.push_back(*last);
  std::uint64_t expected_begin = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& line = lines[i];
    if (line.begin != expected_begin || line.end <= line.begin || line.end > text.size()) std::abort();
    std::string_view body = text.substr(line.begin, line.end - line.begin);
    std::size_t nl = body.find('\n');
    bool last = i + 1 == lines.size();
    if (!last && nl != body.size() - 1) std::abort();
    if (last && nl != std::string_view::npos && nl != body.size() - 1) std::abort();
    expected_begin = line.end;
  }
  if (expected_begin != text.size()) std::abort();
  return 0;
}
