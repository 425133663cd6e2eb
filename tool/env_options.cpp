#include "env_options.h"

#include "cli.h"
#include "words.h"

namespace parstep {

// The launcher's splitter (src/words.h), with the variable named in errors.
std::vector<std::string> split_option_words(std::string_view text) {
  try {
    return split_words(text);
  } catch (const WordsError& e) {
    throw UsageError(std::string("PARSTEP_OPTIONS: ") + e.what());
  }
}

}  // namespace parstep
