#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace parstep {

/// What MAKEFLAGS says about a GNU make jobserver (SPEC 6). Parsing only:
/// nothing is opened or checked here (see jobserver_posix.h).
struct JobserverAuth {
  enum class Kind { none, fds, fifo };
  Kind kind = Kind::none;
  int read_fd = -1;   ///< Kind::fds
  int write_fd = -1;  ///< Kind::fds
  std::string fifo;   ///< Kind::fifo: the path
  /// -jN from MAKEFLAGS: 0 for a bare -j (no limit); nullopt when absent.
  std::optional<unsigned> jobs;
};

/// Reads --jobserver-auth=R,W, --jobserver-fds=R,W (make <= 4.3),
/// --jobserver-auth=fifo:PATH (make >= 4.4) and -jN. The last jobserver
/// option wins, as in make; malformed values count as none.
JobserverAuth parse_makeflags(std::string_view makeflags);

/// MAKEFLAGS for steps of a jobserver parstep serves: `inherited` without
/// its -j and jobserver options, plus -jJOBS and `auth`
/// ("--jobserver-auth=fifo:/tmp/x" or "--jobserver-auth=3,4").
std::string makeflags_for_steps(std::string_view inherited, unsigned jobs, const std::string& auth);

/// MAKEFLAGS for steps when the inherited jobserver is unusable: without
/// its --jobserver-auth/--jobserver-fds and -j words, as GNU make passes on
/// after falling back to -j1, so no nested make or ninja takes unrelated
/// descriptors for a jobserver or multiplies the -j.
std::string makeflags_without_jobserver(std::string_view inherited);

/// Whether MAKEFLAGS asks for a dry run (SPEC 6 v2): its first word does
/// not start with '-' (make's single-letter flags) and holds 'n'. A first
/// word with '=' is a variable definition, not flags.
bool makeflags_dry_run(std::string_view makeflags);

/// The version in `make --version`'s first line ("GNU Make 4.3" -> {4, 3}).
std::optional<std::pair<int, int>> make_version(std::string_view version_output);

}  // namespace parstep
