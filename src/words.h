#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace parstep {

/// Text that split_words() cannot split; what() names the problem
/// ("unterminated ' quote").
struct WordsError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/// Splits `text` into words as a POSIX shell would, without any expansion:
/// words are separated by blanks (space, tab, newline, carriage return); inside '…' every
/// character stands for itself; inside "…" a backslash keeps a following
/// ", \, $ or ` and is kept before anything else; outside quotes a backslash
/// keeps the next character. Quotes join with what touches them (--x='a b'
/// is one word) and '' is an empty word. Throws WordsError for an
/// unterminated quote or a trailing backslash.
std::vector<std::string> split_words(std::string_view text);

}  // namespace parstep
