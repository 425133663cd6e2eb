#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace parstep {

/// The words of PARSTEP_OPTIONS (SPEC 1): separated by blanks (space, tab,
/// newline); inside '…' every character stands for itself; inside "…" a
/// backslash keeps a following " or \ and is kept before anything else;
/// outside quotes a backslash keeps the next character. Quotes join with
/// what touches them ('-j'2 is -j2) and '' is an empty word. Throws
/// UsageError ("PARSTEP_OPTIONS: …") for an unterminated quote or a
/// trailing backslash.
std::vector<std::string> split_option_words(std::string_view text);

}  // namespace parstep
