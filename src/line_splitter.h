#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace parstep {

/// Finds whole lines in a byte stream that arrives in chunks (`line` mode,
/// SPEC 2). It keeps offsets only, never the bytes, so a line of any length
/// costs no memory: the bytes stay in the step's spool.
class LineSplitter {
 public:
  /// [begin, end) in stream offsets; end includes the newline when there is one.
  struct Line {
    std::uint64_t begin;
    std::uint64_t end;
    bool operator==(const Line&) const = default;
  };

  /// `chunk` is the next part of the stream. Appends the lines it completes.
  void feed(std::string_view chunk, std::vector<Line>& lines);
  /// At end of stream: the last line when it has no newline.
  std::optional<Line> finish() const;

 private:
  std::uint64_t line_begin_ = 0;
  std::uint64_t consumed_ = 0;
};

}  // namespace parstep
