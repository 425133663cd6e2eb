#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "program_cache.h"
#include "subprocess.h"

namespace parstep {

/// The words of a shell command line that has no shell syntax at all, so
/// that `sh -c` would only split it at blanks and run the first word as a
/// program: words of letters, digits and `_-./,:+@%` (and `=` after the
/// first word), separated by spaces and tabs. nullopt for anything else:
/// quotes, `$`, globs, redirections, `;&|`, backslashes, `~`, `#`,
/// newlines, bytes beyond ASCII, an assignment, or a first word that is a
/// reserved word or a builtin (bare `true` and `false` excepted: their
/// programs do the same).
std::optional<std::vector<std::string>> plain_words(std::string_view command);

/// Where sh would find `name` to run: the first regular, executable file
/// along `path` (a `:`-separated list; an empty entry is the working
/// directory), or `name` itself when it holds a `/`. Relative results are
/// relative to `cwd` (empty: parstep's own). nullopt when none is found,
/// or when what is found may not be a program the kernel runs (no `#!`,
/// no ELF header): sh must then say why, or run it as a script itself.
std::optional<std::string> find_program(const std::string& name, std::string_view path, const std::string& cwd);

/// Turns `request` (env and cwd set) into a direct start of `command`
/// when that does exactly what `sh -c command` would: same program, same
/// arguments, same environment (PWD set as sh sets it). Returns false,
/// leaving `request` as it was, when the shell is needed. For a whole run:
/// programs are looked up through a ProgramCache, and the PWD of a step in
/// parstep's own working directory (which is fixed for the run) is worked
/// out once for each PWD value it inherits.
class DirectStarts {
 public:
  bool start_without_shell(std::string_view command, SpawnRequest& request);

 private:
  std::optional<std::string> pwd(const std::vector<std::string>& env, const std::string& cwd);
  ProgramCache programs_;
  std::map<std::optional<std::string>, std::optional<std::string>> own_pwd_;  ///< inherited PWD -> sh's PWD
};

}  // namespace parstep
