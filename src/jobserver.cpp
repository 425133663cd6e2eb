#include "jobserver.h"

#include <charconv>
#include <vector>

namespace parstep {
namespace {

// MAKEFLAGS words: separated by blanks; a backslash keeps the next
// character (make escapes blanks in file names that way).
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    if (c == '\\' && i + 1 < text.size()) c = text[++i];
    word += c;
    in_word = true;
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

std::optional<unsigned> number(std::string_view text) {
  unsigned value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A word as make writes it in MAKEFLAGS: blanks and backslashes escaped.
std::string escaped(std::string_view word) {
  std::string out;
  for (char c : word) {
    if (c == ' ' || c == '\t' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

bool is_jobs_word(std::string_view word) { return word.starts_with("-j") || word == "--jobs" || word.starts_with("--jobs="); }

}  // namespace

// "R,W" or "fifo:PATH"; anything else leaves `auth` without a jobserver.
static void read_auth(std::string_view value, JobserverAuth& auth) {
  auth.kind = JobserverAuth::Kind::none;
  if (value.starts_with("fifo:")) {
    if (value.size() == 5) return;
    auth.kind = JobserverAuth::Kind::fifo;
    auth.fifo = std::string(value.substr(5));
    return;
  }
  auto comma = value.find(',');
  if (comma == std::string_view::npos) return;
  auto r = number(value.substr(0, comma));
  auto w = number(value.substr(comma + 1));
  if (!r || !w) return;
  if (*r > 1000000 || *w > 1000000) return;
  auth.kind = JobserverAuth::Kind::fds;
  auth.read_fd = static_cast<int>(*r);
  auth.write_fd = static_cast<int>(*w);
}

JobserverAuth parse_makeflags(std::string_view makeflags) {
  JobserverAuth auth;
  auto words = words_of(makeflags);
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (w == "--") break;  // variable definitions follow, not options
    if (w.starts_with("--jobserver-auth=")) {
      read_auth(w.substr(17), auth);
    } else if (w.starts_with("--jobserver-fds=")) {
      read_auth(w.substr(16), auth);
    } else if (w == "-j" || w == "--jobs") {
      auth.jobs = 0;  // no limit, unless a number follows
      if (i + 1 < words.size() && number(words[i + 1])) auth.jobs = *number(words[++i]);
    } else if (w.starts_with("-j") || w.starts_with("--jobs=")) {
      if (auto n = number(w.substr(w[1] == 'j' ? 2 : 7))) auth.jobs = *n;
    }
  }
  return auth;
}

namespace {

// `inherited` without its -j and jobserver words, split into options and
// variable definitions (the words after "--"), each escaped as make writes
// them.
std::pair<std::string, std::string> without_jobs_words(std::string_view inherited) {
  std::string options, variables;
  auto words = words_of(inherited);
  bool after_dashes = false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "--" && !after_dashes) {
      after_dashes = true;
      continue;
    }
    if (!after_dashes) {
      if (w.starts_with("--jobserver-auth=") || w.starts_with("--jobserver-fds=")) continue;
      if (is_jobs_word(w)) {
        if ((w == "-j" || w == "--jobs") && i + 1 < words.size() && number(words[i + 1])) ++i;
        continue;
      }
    }
    std::string& out = after_dashes ? variables : options;
    if (!out.empty()) out += ' ';
    out += escaped(w);
  }
  // make reads a first word without a dash as single-letter flags.
  if (!options.empty() && options[0] != '-') options = " " + options;
  return {options, variables};
}

std::string joined(std::string options, const std::string& variables) {
  return variables.empty() ? options : options + " -- " + variables;
}

}  // namespace

std::string makeflags_for_steps(std::string_view inherited, unsigned jobs, const std::string& auth) {
  auto [options, variables] = without_jobs_words(inherited);
  return joined(options + (options.empty() ? "" : " ") + "-j" + std::to_string(jobs) + " " + escaped(auth), variables);
}

std::string makeflags_without_jobserver(std::string_view inherited) {
  auto [options, variables] = without_jobs_words(inherited);
  return joined(options, variables);
}

bool makeflags_dry_run(std::string_view makeflags) {
  // make puts its single-letter flags first, without a dash (" n", "kn");
  // the first word is that group only when it does not start with '-'.
  auto words = words_of(makeflags);
  if (words.empty() || words[0].starts_with("-") || words[0].find('=') != std::string::npos) return false;
  return words[0].find('n') != std::string::npos;
}

std::optional<std::pair<int, int>> make_version(std::string_view output) {
  auto at = output.find("GNU Make ");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view v = output.substr(at + 9);
  int major = 0, minor = 0;
  auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), major);
  if (error != std::errc()) return std::nullopt;
  if (end < v.data() + v.size() && *end == '.') std::from_chars(end + 1, v.data() + v.size(), minor);
  return std::pair{major, minor};
}

}  // namespace parstep
