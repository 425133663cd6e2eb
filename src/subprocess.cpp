#include "subprocess.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <tuple>

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
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
};

struct Attributes {
  posix_spawnattr_t value;
  Attributes() { check(posix_spawnattr_init(&value), "posix_spawnattr_init"); }
  ~Attributes() { posix_spawnattr_destroy(&value); }
  Attributes(const Attributes&) = delete;
  Attributes& operator=(const Attributes&) = delete;
};

void set_up_descriptors(FileActions& actions, const SpawnRequest& request) {
  auto* a = &actions.value;
  if (request.input_fd >= 0)
    check(posix_spawn_file_actions_adddup2(a, request.input_fd, 0), "posix_spawn_file_actions_adddup2");
  else
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

// What the set-up depends on. Descriptors are kept as numbers, which is
// what posix_spawn acts on: whatever is open there when a process starts.
using ActionsKey = std::tuple<int, int, std::string>;
ActionsKey actions_key(const SpawnRequest& r) { return {r.input_fd, r.output_fd, r.cwd}; }

std::optional<sigset_t> copy_of(const sigset_t* set) { return set ? std::optional(*set) : std::nullopt; }

bool same(const std::optional<sigset_t>& kept, const sigset_t* set) {
  return kept.has_value() == (set != nullptr) && (!set || std::memcmp(&*kept, set, sizeof *set) == 0);
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

struct Spawner::Kept {
  static constexpr std::size_t kMaxActions = 64;  ///< distinct set-ups kept (a step's cwd is one)
  std::map<ActionsKey, std::unique_ptr<FileActions>> actions;
  std::unique_ptr<Attributes> attributes;
  std::optional<sigset_t> mask, defaults;  ///< what `attributes` was made with
};

Spawner::Spawner() : kept_(std::make_unique<Kept>()) {}
Spawner::~Spawner() = default;

pid_t Spawner::spawn(const SpawnRequest& request) {
  auto key = actions_key(request);
  auto actions = kept_->actions.find(key);
  if (actions == kept_->actions.end()) {
    auto made = std::make_unique<FileActions>();
    set_up_descriptors(*made, request);
    if (kept_->actions.size() >= Kept::kMaxActions) kept_->actions.clear();
    actions = kept_->actions.emplace(std::move(key), std::move(made)).first;
  }
  if (!kept_->attributes || !same(kept_->mask, request.mask) || !same(kept_->defaults, request.defaults)) {
    auto made = std::make_unique<Attributes>();
    set_up_attributes(*made, request);
    kept_->attributes = std::move(made);
    kept_->mask = copy_of(request.mask);
    kept_->defaults = copy_of(request.defaults);
  }

  auto argv = pointers(request.argv);
  auto envp = pointers(request.env);
  pid_t pid = 0;
  auto* a = &actions->second->value;
  auto* attr = &kept_->attributes->value;
  int err = request.program.empty() ? posix_spawnp(&pid, argv[0], a, attr, argv.data(), envp.data())
                                    : posix_spawn(&pid, request.program.c_str(), a, attr, argv.data(), envp.data());
  if (err != 0) {
    std::string what = request.argv[0];
    if (!request.cwd.empty()) what += " in " + request.cwd;
    throw_errno(err, what);
  }
  return pid;
}

pid_t spawn_process(const SpawnRequest& request) { return Spawner().spawn(request); }

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
