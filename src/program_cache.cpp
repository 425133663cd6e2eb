#include "program_cache.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>

#include "plain_command.h"

namespace parstep {
namespace {

// In a PATH directory, anything that can change what a lookup finds: an
// entry made, removed or renamed; a file written (its header decides whether
// the kernel runs it) or chmod-ed; the directory itself chmod-ed, removed
// or renamed.
constexpr std::uint32_t kDirectoryEvents = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB |
                                           IN_MODIFY | IN_DELETE_SELF | IN_MOVE_SELF;
// In an ancestor: the next component made, removed, renamed or replaced
// (a symbolic link retargeted), or the ancestor's own mode changed.
constexpr std::uint32_t kAncestorEvents = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB |
                                          IN_DELETE_SELF | IN_MOVE_SELF;

}  // namespace

ProgramCache::ProgramCache() : inotify_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {}

std::optional<std::string> ProgramCache::find(const std::string& name, std::string_view path,
                                              const std::string& cwd) {
  if (!inotify_ || name.find('/') != std::string::npos) return find_program(name, path, cwd);
  forget_if_changed();
  std::string key = std::string(path) + '\0' + name;
  if (auto it = found_.find(key); it != found_.end()) {
    ++hits_;
    return it->second;
  }
  // Watched before the search: a change during it is seen at the next find.
  bool watched = watch_path(path);
  auto program = find_program(name, path, cwd);
  if (watched) found_.emplace(std::move(key), program);
  return program;
}

// Any event forgets every lookup. A new entry (perhaps a PATH directory, or
// an ancestor of one, that did not exist when the watches were made) also
// forgets which PATHs are watched, so that their watches are made again;
// an overflowed queue or a watch the kernel dropped (its directory is gone)
// starts afresh.
void ProgramCache::forget_if_changed() {
  alignas(inotify_event) char events[4096];
  bool changed = false, appeared = false, lost_watch = false;
  for (;;) {
    ssize_t n = read(inotify_.get(), events, sizeof events);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    changed = true;
    for (ssize_t at = 0; at < n;) {
      const auto* e = reinterpret_cast<const inotify_event*>(events + at);
      if (e->mask & (IN_CREATE | IN_MOVED_TO)) appeared = true;
      if (e->mask & (IN_Q_OVERFLOW | IN_IGNORED)) lost_watch = true;
      at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
    }
  }
  if (lost_watch) reset();
  if (appeared) watched_paths_.clear();
  if (changed) found_.clear();
}

// Every entry must be absolute: an empty or relative one names a directory
// of each step's own (its working directory).
bool ProgramCache::watch_path(std::string_view path) {
  std::string whole(path);
  if (watched_paths_.contains(whole)) return true;
  for (std::size_t from = 0; from <= path.size();) {
    std::size_t to = std::min(path.find(':', from), path.size());
    std::string dir(path.substr(from, to - from));
    if (!dir.starts_with('/') || !watch(dir, false)) return false;
    for (std::size_t slash = dir.find_last_of('/'); slash != std::string::npos && slash > 0;
         slash = dir.find_last_of('/', slash - 1)) {
      if (!watch(dir.substr(0, slash), true)) return false;
    }
    if (!watch("/", true)) return false;
    from = to + 1;
  }
  watched_paths_.insert(std::move(whole));
  return true;
}

// A directory that does not exist (yet) needs no watch: its making is an
// event in an ancestor, which is watched.
bool ProgramCache::watch(const std::string& dir, bool ancestor) {
  std::uint32_t events = (ancestor ? kAncestorEvents : kDirectoryEvents) | IN_MASK_ADD | IN_ONLYDIR;
  if (inotify_add_watch(inotify_.get(), dir.c_str(), events) >= 0) return true;
  return errno == ENOENT || errno == ENOTDIR;
}

void ProgramCache::reset() {
  inotify_ = Fd(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  watched_paths_.clear();
  found_.clear();
}

}  // namespace parstep
