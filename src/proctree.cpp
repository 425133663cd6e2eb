#include "proctree.h"

#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

namespace parstep {
namespace {

std::string read_small_file(const std::string& path);

// /proc/PID/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces
// and parentheses, so parse from the last ')'.
bool read_stat(pid_t pid, ProcessInfo& info) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE* f = std::fopen(path, "re");
  if (f == nullptr) return false;
  char text[1024];
  std::size_t n = std::fread(text, 1, sizeof text - 1, f);
  std::fclose(f);
  text[n] = '\0';
  const char* close = std::strrchr(text, ')');
  if (close == nullptr) return false;
  info.pid = pid;
  // Fields after comm: state ppid pgrp session tty tpgid flags minflt
  // cminflt majflt cmajflt utime stime cutime cstime priority nice
  // num_threads itrealvalue starttime.
  return std::sscanf(close + 1, " %c %d %d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
                     &info.state, &info.ppid, &info.pgrp, &info.start_ticks) == 4;
}

std::string read_small_file(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "re");
  if (f == nullptr) return {};
  char text[4096];
  std::size_t n = std::fread(text, 1, sizeof text, f);
  std::fclose(f);
  return std::string(text, n);
}

}  // namespace

std::vector<ProcessInfo> read_process_table() {
  std::vector<ProcessInfo> table;
  DIR* dir = opendir("/proc");
  if (dir == nullptr) return table;
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    ProcessInfo info;
    if (*end == '\0' && pid > 0 && read_stat(static_cast<pid_t>(pid), info)) table.push_back(info);
  }
  closedir(dir);
  return table;
}

std::vector<pid_t> descendants(const std::vector<ProcessInfo>& table, pid_t root) {
  std::unordered_multimap<pid_t, const ProcessInfo*> children;
  for (const auto& p : table) children.emplace(p.ppid, &p);
  std::vector<pid_t> found;
  std::vector<pid_t> frontier{root};
  while (!frontier.empty()) {
    pid_t parent = frontier.back();
    frontier.pop_back();
    auto [begin, end] = children.equal_range(parent);
    for (auto it = begin; it != end; ++it) {
      if (it->second->state == 'Z') continue;
      found.push_back(it->second->pid);
      frontier.push_back(it->second->pid);
    }
  }
  return found;
}

std::string command_line_of(pid_t pid) {
  std::string text = read_small_file("/proc/" + std::to_string(pid) + "/cmdline");
  while (!text.empty() && text.back() == '\0') text.pop_back();
  for (char& c : text)
    if (c == '\0' || c == '\n') c = ' ';
  return text;
}

std::string wchan_of(pid_t pid) {
  std::string text = read_small_file("/proc/" + std::to_string(pid) + "/wchan");
  return text.empty() || text == "0" ? "-" : text;
}

double seconds_since_start(unsigned long long start_ticks) {
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  double since_boot = static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
  return since_boot - static_cast<double>(start_ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::size_t signal_descendants(pid_t root, int signal) {
  auto pids = descendants(read_process_table(), root);
  for (pid_t pid : pids) kill(pid, signal);
  return pids.size();
}

bool become_child_subreaper() { return prctl(PR_SET_CHILD_SUBREAPER, 1) == 0; }

}  // namespace parstep
