#include "fake_processes.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <system_error>

namespace parstep::testing {
namespace {

std::string name_in(const std::vector<std::string>& env) {
  for (const auto& e : env)
    if (e.starts_with("PARSTEP_STEP=")) return e.substr(13);
  throw std::logic_error("fake: a step without PARSTEP_STEP");
}

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 0) == 1 && (p.revents & (POLLIN | POLLHUP)) != 0;
}

std::string signal_name(int signal) {
  switch (signal) {
    case SIGTERM: return "SIGTERM";
    case SIGKILL: return "SIGKILL";
    case SIGCONT: return "SIGCONT";
    case SIGSTOP: return "SIGSTOP";
    default: return std::to_string(signal);
  }
}

}  // namespace

Script& Script::prints(std::string text) {
  actions.push_back({elapsed, std::move(text), std::nullopt});
  return *this;
}

Script& Script::after(Clock::duration wait) {
  elapsed += wait;
  return *this;
}

Script& Script::exits(int code) {
  actions.push_back({elapsed, "", code});
  return *this;
}

Script& Script::ignores_sigterm() {
  ignore_term = true;
  return *this;
}

Script& Script::leaves_straggler(bool ignoring_sigterm) {
  straggler = ignoring_sigterm;
  return *this;
}

Script& Script::cannot_start(int error) {
  start_error = error;
  return *this;
}

Script& FakeProcesses::step(const std::string& name, unsigned attempt) {
  auto& attempts = scripts_[name];
  if (attempts.size() < attempt) attempts.resize(attempt);
  return attempts[attempt - 1];
}

Capture FakeProcesses::open_capture(bool pty, std::initializer_list<int>) {
  if (captures_to_fail_ > 0) {
    --captures_to_fail_;
    throw std::system_error(capture_error_, std::generic_category(), "pipe");
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  return {Fd(fds[0]), Fd(fds[1]), pty && ptys, pty && !ptys ? "fake: no pty\n" : ""};
}

pid_t FakeProcesses::spawn(SpawnRequest request) {
  std::string name = name_in(request.env);
  auto found = scripts_.find(name);
  if (found == scripts_.end()) throw std::logic_error("fake: no script for step " + name);
  unsigned attempt = ++attempts_[name];
  const Script& script = found->second[std::min<std::size_t>(attempt, found->second.size()) - 1];
  // A start that fails uses its script up: the next start gets the next one.
  if (script.start_error != 0) throw std::system_error(script.start_error, std::generic_category(), name);
  pid_t pid = next_pid_++;
  processes_[pid] = Process{name, Fd(dup(request.output_fd)), now_, &script, 0, true, false, std::nullopt, std::nullopt};
  started.push_back(name);
  std::size_t running = std::count_if(processes_.begin(), processes_.end(), [](auto& p) { return p.second.alive; });
  most_running = std::max(most_running, running);
  if (on_start) on_start(name, running);
  return pid;
}

void FakeProcesses::watch_queue(int) {
  throw std::system_error(EPERM, std::generic_category(), "fake: no queue");
}

std::optional<Clock::time_point> FakeProcesses::next_action() const {
  std::optional<Clock::time_point> next;
  for (const auto& [pid, p] : processes_) {
    if (!p.alive || p.stopped_at || p.next >= p.script->actions.size()) continue;
    auto t = p.started + p.script->actions[p.next].at;
    if (!next || t < *next) next = t;
  }
  if (!incoming_.empty() && (!next || incoming_.begin()->first < *next)) next = incoming_.begin()->first;
  return next;
}

// Carries out every scripted action due by `t`, in time order.
void FakeProcesses::act_until(Clock::time_point t) {
  for (;;) {
    auto due = next_action();
    if (!due || *due > t) return;
    while (!incoming_.empty() && incoming_.begin()->first == *due) {
      signals_.push_back(incoming_.begin()->second);
      incoming_.erase(incoming_.begin());
    }
    for (auto& [pid, p] : processes_) {
      if (!p.alive || p.stopped_at || p.next >= p.script->actions.size()) continue;
      const Script::Action& action = p.script->actions[p.next];
      if (p.started + action.at != *due) continue;
      ++p.next;
      if (action.exit) {
        end(p, (*action.exit & 0xff) << 8);
      } else if (::write(p.output.get(), action.text.data(), action.text.size()) !=
                 static_cast<ssize_t>(action.text.size())) {
        throw std::logic_error("fake: step output did not fit");
      }
    }
  }
}

void FakeProcesses::end(Process& p, int wait_status) {
  p.alive = false;
  p.straggling = p.script->straggler.has_value() && WIFEXITED(wait_status);
  p.output.reset();
  p.wait_status = wait_status;
  signals_.push_back(SIGCHLD);
}

static ino_t inode_of(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) ? st.st_ino : 0;
}

void FakeProcesses::watch_output(std::size_t step, int fd) { watched_[fd] = {step, inode_of(fd)}; }

// What epoll would report now. A capture the Runner closed is forgotten
// (epoll forgets a closed descriptor's file too).
std::vector<ProcessEvent> FakeProcesses::ready() {
  std::vector<ProcessEvent> events;
  for (int s : signals_) events.push_back(SignalArrived{s});
  std::erase_if(watched_, [](auto& w) { return inode_of(w.first) != w.second.pipe; });
  for (auto [fd, w] : watched_)
    if (readable(fd)) events.push_back(OutputReady{w.step});
  if (jobserver_fd_ >= 0 && readable(jobserver_fd_)) events.push_back(TokenReadable{});
  return events;
}

std::vector<ProcessEvent> FakeProcesses::wait(std::optional<Clock::time_point> wake_by) {
  auto events = ready();
  if (!events.empty() && ++idle_turns_ > 100000) throw std::logic_error("fake: the runner leaves events unhandled");
  if (events.empty()) {
    idle_turns_ = 0;
    auto next = next_action();
    if (wake_by && (!next || *wake_by < *next)) next = std::max(*wake_by, now_);
    if (!next) throw std::logic_error("fake: the runner waits for something that never comes");
    now_ = std::max(now_, *next);
    act_until(now_);
    events = ready();
  }
  signals_.clear();
  if (std::any_of(events.begin(), events.end(), [](auto& e) { return std::holds_alternative<TokenReadable>(e); }))
    jobserver_fd_ = -1;  // once, as EPOLLONESHOT
  return events;
}

Reaped FakeProcesses::reap_one() {
  bool any = false;
  for (auto it = processes_.begin(); it != processes_.end(); ++it) {
    if (it->second.wait_status) {
      Reaped r{Reaped::Kind::changed, it->first, *it->second.wait_status};
      if (it->second.straggling) stragglers_[it->first] = {it->second.name, *it->second.script->straggler};
      processes_.erase(it);
      return r;
    }
    any = any || it->second.alive;
  }
  return {any ? Reaped::Kind::none_yet : Reaped::Kind::no_children};
}

bool FakeProcesses::signal_group(pid_t pgid, int signal) {
  if (auto s = stragglers_.find(pgid); s != stragglers_.end()) {  // its main process was reaped
    if (signal == 0) return true;
    signalled.push_back(s->second.name + " " + signal_name(signal));
    if (signal == SIGKILL || (signal == SIGTERM && !s->second.ignores_term)) stragglers_.erase(s);
    return true;
  }
  auto it = processes_.find(pgid);
  if (it == processes_.end() || !it->second.alive) return false;
  Process& p = it->second;
  if (signal == 0) return true;
  signalled.push_back(p.name + " " + signal_name(signal));
  if (signal == SIGKILL || (signal == SIGTERM && !p.script->ignore_term)) end(p, signal);
  if (signal == SIGSTOP && !p.stopped_at) p.stopped_at = now_;
  if (signal == SIGCONT && p.stopped_at) p.started += now_ - *std::exchange(p.stopped_at, std::nullopt);
  return true;
}

void FakeProcesses::signal_descendants(pid_t root, int signal) {
  if (root != 0) return;  // a step's descendants: the fake's steps have none
  for (auto& [pid, p] : processes_)
    if (p.alive) signal_group(pid, signal);
}

std::vector<pid_t> FakeProcesses::children() {
  std::vector<pid_t> pids;
  for (const auto& [pid, p] : processes_) pids.push_back(pid);
  return pids;
}

}  // namespace parstep::testing
