#include "words.h"

namespace parstep {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool escapable_in_double_quotes(char c) { return c == '"' || c == '\\' || c == '$' || c == '`'; }

// Appends the quoted text that starts at `text[at]` (the quote) to `word`;
// returns the index just past the closing quote.
std::size_t take_quoted(std::string_view text, std::size_t at, std::string& word) {
  char quote = text[at];
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] == quote) return i + 1;
    bool escape = quote == '"' && text[i] == '\\' && i + 1 < text.size() && escapable_in_double_quotes(text[i + 1]);
    if (escape) ++i;
    word += text[i];
  }
  throw WordsError(std::string("unterminated ") + quote + " quote");
}

// Appends the word that starts at `text[i]` to `word`; returns the index
// just past it.
std::size_t take_word(std::string_view text, std::size_t i, std::string& word) {
  while (i < text.size() && !is_blank(text[i])) {
    if (text[i] == '\'' || text[i] == '"') {
      i = take_quoted(text, i, word);
    } else if (text[i] == '\\') {
      if (i + 1 == text.size()) throw WordsError("a backslash ends it");
      word += text[i + 1];
      i += 2;
    } else {
      word += text[i++];
    }
  }
  return i;
}

}  // namespace

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  for (std::size_t i = 0;;) {
    while (i < text.size() && is_blank(text[i])) ++i;
    if (i == text.size()) return words;
    std::string word;
    i = take_word(text, i, word);
    words.push_back(std::move(word));
  }
}

}  // namespace parstep
