#include "plain_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "fd.h"

namespace parstep {
namespace {

// Builtins and reserved words of sh (dash and bash's POSIX mode): they do
// not run a program found in PATH, or not the way the program would.
constexpr std::array<std::string_view, 60> kShellWords = {
    ".", ":", "[", "[[", "]]", "!", "{", "}", "alias", "bg", "break", "builtin", "case", "cd", "chdir", "command",
    "continue", "declare", "do", "done", "echo", "elif", "else", "esac", "eval", "exec", "exit", "export", "fc",
    "fg", "fi", "for", "function", "getopts", "hash", "if", "in", "jobs", "kill", "let", "local", "printf", "pwd",
    "read", "readonly", "return", "select", "set", "shift", "source", "test", "then", "time", "times", "trap",
    "type", "ulimit", "umask", "unalias", "unset"};
constexpr std::array<std::string_view, 4> kMoreShellWords = {"until", "wait", "while", "typeset"};

bool is_shell_word(std::string_view word) {
  return std::find(kShellWords.begin(), kShellWords.end(), word) != kShellWords.end() ||
         std::find(kMoreShellWords.begin(), kMoreShellWords.end(), word) != kMoreShellWords.end();
}

bool plain_char(char c, bool first_word) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  if (c == '=') return !first_word;
  return std::strchr("_-./,:+@%", c) != nullptr && c != '\0';
}

std::optional<std::string> env_value(const std::vector<std::string>& env, std::string_view key) {
  for (const auto& entry : env)
    if (entry.size() > key.size() && entry.starts_with(key) && entry[key.size()] == '=') return entry.substr(key.size() + 1);
  return std::nullopt;
}

// sh keeps one value per name; a program started directly would see both.
bool has_duplicate_keys(const std::vector<std::string>& env) {
  std::vector<std::string_view> keys;
  keys.reserve(env.size());
  for (const auto& entry : env) keys.push_back(std::string_view(entry).substr(0, entry.find('=')));
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) != keys.end();
}

std::string in_cwd(const std::string& cwd, const std::string& path) {
  return cwd.empty() || path.starts_with('/') ? path : cwd + "/" + path;
}

// A file the kernel itself executes: a script with "#!" or an ELF binary.
bool kernel_runs(const std::string& file) {
  Fd fd(open(file.c_str(), O_RDONLY | O_CLOEXEC));
  char head[4] = {};
  if (!fd || read(fd.get(), head, sizeof head) < 2) return false;
  return (head[0] == '#' && head[1] == '!') || std::memcmp(head, "\x7f" "ELF", 4) == 0;
}

bool executable_file(const std::string& file) {
  struct stat st;
  return stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(file.c_str(), X_OK) == 0;
}

// What sh puts in PWD: the inherited value when it names the working
// directory, else the physical path.
std::optional<std::string> shell_pwd(const std::vector<std::string>& env, const std::string& cwd) {
  std::string dir = cwd.empty() ? "." : cwd;
  struct stat here, there;
  if (stat(dir.c_str(), &here) != 0) return std::nullopt;
  auto pwd = env_value(env, "PWD");
  if (pwd && pwd->starts_with('/') && stat(pwd->c_str(), &there) == 0 && there.st_dev == here.st_dev &&
      there.st_ino == here.st_ino)
    return pwd;
  char resolved[PATH_MAX];
  if (realpath(dir.c_str(), resolved) == nullptr) return std::nullopt;
  return std::string(resolved);
}

}  // namespace

std::optional<std::vector<std::string>> plain_words(std::string_view command) {
  std::vector<std::string> words;
  std::string word;
  for (std::size_t i = 0; i <= command.size(); ++i) {
    char c = i < command.size() ? command[i] : ' ';
    if (c == ' ' || c == '\t') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else if (plain_char(c, words.empty())) {
      word += c;
    } else {
      return std::nullopt;
    }
  }
  if (words.empty() || is_shell_word(words[0])) return std::nullopt;
  if ((words[0] == "true" || words[0] == "false") && words.size() > 1) return std::nullopt;  // --help, --version
  return words;
}

std::optional<std::string> find_program(const std::string& name, std::string_view path, const std::string& cwd) {
  if (name.find('/') != std::string::npos) {
    if (executable_file(in_cwd(cwd, name)) && kernel_runs(in_cwd(cwd, name))) return name;
    return std::nullopt;
  }
  if (path.find('%') != std::string_view::npos) return std::nullopt;  // dash gives '%' a meaning
  for (std::size_t from = 0; from <= path.size();) {
    std::size_t to = std::min(path.find(':', from), path.size());
    std::string dir(path.substr(from, to - from));
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (executable_file(in_cwd(cwd, candidate)))
      return kernel_runs(in_cwd(cwd, candidate)) ? std::optional(candidate) : std::nullopt;
    from = to + 1;
  }
  return std::nullopt;
}

std::optional<std::string> DirectStarts::pwd(const std::vector<std::string>& env, const std::string& cwd) {
  if (!cwd.empty()) return shell_pwd(env, cwd);
  auto inherited = env_value(env, "PWD");
  auto known = own_pwd_.find(inherited);
  if (known == own_pwd_.end()) known = own_pwd_.emplace(inherited, shell_pwd(env, cwd)).first;
  return known->second;
}

bool DirectStarts::start_without_shell(std::string_view command, SpawnRequest& request) {
  auto words = plain_words(command);
  auto path = env_value(request.env, "PATH");
  if (!words || !path || has_duplicate_keys(request.env)) return false;  // without PATH, sh searches its own
  auto program = programs_.find(words->front(), *path, request.cwd);
  auto pwd = program ? this->pwd(request.env, request.cwd) : std::nullopt;
  if (!pwd) return false;
  auto old_pwd = std::find_if(request.env.begin(), request.env.end(), [](const std::string& e) { return e.starts_with("PWD="); });
  if (old_pwd != request.env.end()) *old_pwd = "PWD=" + *pwd;
  else request.env.push_back("PWD=" + *pwd);
  request.program = *program;
  request.argv = std::move(*words);
  return true;
}

}  // namespace parstep
