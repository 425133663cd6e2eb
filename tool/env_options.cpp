#include "env_options.h"

#include "cli.h"

namespace parstep {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Appends the quoted text that starts after `text[at]` (the quote) to
// `word`; returns the index just past the closing quote.
std::size_t take_quoted(std::string_view text, std::size_t at, std::string& word) {
  char quote = text[at];
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] == quote) return i + 1;
    bool escape = quote == '"' && text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\\');
    if (escape) ++i;
    word += text[i];
  }
  throw UsageError(std::string("PARSTEP_OPTIONS: unterminated ") + quote + " quote");
}

}  // namespace

std::vector<std::string> split_option_words(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (true) {
    while (i < text.size() && is_blank(text[i])) ++i;
    if (i == text.size()) return words;
    std::string word;
    while (i < text.size() && !is_blank(text[i])) {
      if (text[i] == '\'' || text[i] == '"') {
        i = take_quoted(text, i, word);
      } else if (text[i] == '\\') {
        if (i + 1 == text.size()) throw UsageError("PARSTEP_OPTIONS: a backslash ends it");
        word += text[i + 1];
        i += 2;
      } else {
        word += text[i++];
      }
    }
    words.push_back(std::move(word));
  }
}

}  // namespace parstep
