#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace parstep {

/// One step of a path into a JSON document: an object key or an array index.
using JsonPathStep = std::variant<std::string, std::size_t>;

/// "steps[2].timeout" for {"steps", 2, "timeout"}.
std::string format_json_path(const std::vector<JsonPathStep>& path);

/// Where `path` points in `json` (a document already known to be valid):
/// the offset of the key for an object member, of the value for an array
/// element. Walks only along the path, so its depth is the path's, whatever
/// the document's nesting.
std::optional<std::size_t> find_json_path(std::string_view json, const std::vector<JsonPathStep>& path);

/// 1-based line and column of a byte offset.
struct TextPosition {
  std::size_t line;
  std::size_t column;
};
TextPosition position_of(std::string_view text, std::size_t offset);

}  // namespace parstep
