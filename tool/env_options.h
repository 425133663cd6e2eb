#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace parstep {

/// The words of PARSTEP_OPTIONS (SPEC 1), split as split_words() does
/// (shell-like quoting, no expansion: '-j'2 is -j2, '' an empty word).
/// Throws UsageError ("PARSTEP_OPTIONS: …") for an unterminated quote or a
/// trailing backslash.
std::vector<std::string> split_option_words(std::string_view text);

}  // namespace parstep
