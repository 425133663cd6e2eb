#include "subprocess.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "fd.h"

extern char** environ;

namespace parstep {
namespace {

std::string_view key_of(std::string_view entry) { return entry.substr(0, entry.find('=')); }

std::vector<char*> pointers(const std::vector<std::string>& strings) {
  std::vector<char*> result;
  result.reserve(strings.size() + 1);
  for (const auto& s : strings) result.push_back(const_cast<char*>(s.c_str()));
  result.push_back(nullptr);
  return result;
}

// posix_spawn's set-up calls return an error number (ENOMEM, EINVAL, EBADF
// for a closed output descriptor): a step whose set-up failed does not start.
void check(int err, const char* call) {
  if (err != 0) throw_errno(err, call);
}

struct FileActions {
  posix_spawn_file_actions_t value;
  FileActions() { check(posix_spawn_file_actions_init(&value), "posix_spawn_file_actions_init"); }
  ~FileActions() { posix_spawn_file_actions_destroy(&value); }
};

struct Attributes {
  posix_spawnattr_t value;
  Attributes() { check(posix_spawnattr_init(&value), "posix_spawnattr_init"); }
  ~Attributes() { posix_spawnattr_destroy(&value); }
};

void set_up_descriptors(FileActions& actions, const SpawnRequest& request) {
  auto* a = &actions.value;
  check(posix_spawn_file_actions_addopen(a, 0, "/dev/null", O_RDONLY, 0), "posix_spawn_file_actions_addopen");
  check(posix_spawn_file_actions_adddup2(a, request.output_fd, 1), "posix_spawn_file_actions_adddup2");
  check(posix_spawn_file_actions_adddup2(a, request.output_fd, 2), "posix_spawn_file_actions_adddup2");
  if (!request.cwd.empty())
    check(posix_spawn_file_actions_addchdir_np(a, request.cwd.c_str()), "posix_spawn_file_actions_addchdir_np");
}

void set_up_attributes(Attributes& attributes, const SpawnRequest& request) {
  auto* a = &attributes.value;
  short flags = POSIX_SPAWN_SETPGROUP;
  check(posix_spawnattr_setpgroup(a, 0), "posix_spawnattr_setpgroup");
  if (request.mask != nullptr) {
    flags |= POSIX_SPAWN_SETSIGMASK;
    check(posix_spawnattr_setsigmask(a, request.mask), "posix_spawnattr_setsigmask");
  }
  if (request.defaults != nullptr) {
    flags |= POSIX_SPAWN_SETSIGDEF;
    check(posix_spawnattr_setsigdefault(a, request.defaults), "posix_spawnattr_setsigdefault");
  }
  check(posix_spawnattr_setflags(a, flags), "posix_spawnattr_setflags");
}

}  // namespace

Environment Environment::inherited() {
  std::vector<std::string> entries;
  for (char** e = environ; *e != nullptr; ++e) entries.emplace_back(*e);
  return Environment(std::move(entries));
}

Environment::Environment(std::vector<std::string> entries) {
  // PARSTEP_OPTIONS reaches nested parsteps (SPEC 1); the rest are per step.
  for (auto& entry : entries)
    if (!key_of(entry).starts_with("PARSTEP_") || key_of(entry) == "PARSTEP_OPTIONS") entries_.push_back(std::move(entry));
}

std::vector<std::string> Environment::with(
    const std::vector<std::pair<std::string, std::string>>& extra) const {
  std::vector<std::string> result = entries_;
  for (const auto& entry : extra) {
    const std::string& key = entry.first;
    std::erase_if(result, [&](const std::string& e) { return key_of(e) == key; });
    result.push_back(key + "=" + entry.second);
  }
  return result;
}

Environment Environment::without(const std::vector<std::string>& keys) const {
  std::vector<std::string> result = entries_;
  for (const auto& key : keys) std::erase_if(result, [&](const std::string& e) { return key_of(e) == key; });
  return Environment(std::move(result));
}

pid_t spawn_process(const SpawnRequest& request) {
  FileActions actions;
  set_up_descriptors(actions, request);
  Attributes attributes;
  set_up_attributes(attributes, request);

  auto argv = pointers(request.argv);
  auto envp = pointers(request.env);
  pid_t pid = 0;
  int err = request.program.empty()
                ? posix_spawnp(&pid, argv[0], &actions.value, &attributes.value, argv.data(), envp.data())
                : posix_spawn(&pid, request.program.c_str(), &actions.value, &attributes.value, argv.data(), envp.data());
  if (err != 0) {
    std::string what = request.argv[0];
    if (!request.cwd.empty()) what += " in " + request.cwd;
    throw_errno(err, what);
  }
  return pid;
}

void open_missing_standard_descriptors() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF) continue;
    // The lowest free descriptor is this one: 0..fd-1 are open by now.
    int opened = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (opened >= 0 && opened != fd) close(opened);
  }
}

void close_inherited_descriptors_on_exec() {
  if (syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC) == 0) return;
  long max = sysconf(_SC_OPEN_MAX);
  for (int fd = 3; fd < max; ++fd) {
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0) fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  }
}

}  // namespace parstep
