#include "cpu_count.h"

#include <sched.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

namespace parstep {
namespace {

/// A mounted cgroup hierarchy: v2, or v1 with the cpu controller.
struct CgroupMount {
  std::string root;         ///< the hierarchy path mounted (field 4 of mountinfo)
  std::string mount_point;  ///< where it is mounted
  bool v2 = false;
};

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  for (std::size_t from = 0;;) {
    std::size_t to = text.find(separator, from);
    parts.emplace_back(text.substr(from, to - from));
    if (to == std::string_view::npos) return parts;
    from = to + 1;
  }
}

// mountinfo: "ID PARENT MAJ:MIN ROOT MOUNT_POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER_OPTIONS".
std::optional<CgroupMount> parse_mount(const std::string& line) {
  std::vector<std::string> f = split(line, ' ');
  auto dash = std::find(f.begin(), f.end(), "-");
  if (f.size() < 5 || dash == f.end() || f.end() - dash < 4) return std::nullopt;
  const std::string& type = dash[1];
  std::vector<std::string> super = split(dash[3], ',');
  bool v1_cpu = type == "cgroup" && std::find(super.begin(), super.end(), "cpu") != super.end();
  if (type != "cgroup2" && !v1_cpu) return std::nullopt;
  return CgroupMount{f[3], f[4], type == "cgroup2"};
}

// /proc/self/cgroup: "ID:CONTROLLERS:PATH"; v2 is "0::PATH".
std::optional<std::string> cgroup_path(const std::string& proc_cgroup, bool v2) {
  std::istringstream in(proc_cgroup);
  for (std::string line; std::getline(in, line);) {
    auto first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::vector<std::string> controllers = split(line.substr(first + 1, second - first - 1), ',');
    bool match = v2 ? line.substr(0, second) == "0:" : std::find(controllers.begin(), controllers.end(), "cpu") != controllers.end();
    if (match) return line.substr(second + 1);
  }
  return std::nullopt;
}

std::optional<double> number_in(const std::string& path) {
  std::istringstream in(read_text(path));
  double value;
  if (!(in >> value)) return std::nullopt;
  return value;
}

// One cgroup directory's quota in CPUs; nullopt for none ("max", -1).
std::optional<double> quota_in(const std::string& dir, bool v2) {
  if (v2) {
    std::istringstream in(read_text(dir + "/cpu.max"));
    std::string quota;
    double period = 0;
    if (!(in >> quota >> period) || quota == "max" || period <= 0) return std::nullopt;
    double q = std::strtod(quota.c_str(), nullptr);
    return q > 0 ? std::optional(q / period) : std::nullopt;
  }
  auto quota = number_in(dir + "/cpu.cfs_quota_us"), period = number_in(dir + "/cpu.cfs_period_us");
  if (!quota || !period || *quota <= 0 || *period <= 0) return std::nullopt;
  return *quota / *period;
}

// The smallest quota from the process's cgroup up to the mount's root.
std::optional<double> quota_along(const CgroupMount& mount, std::string path) {
  // Inside a container the mount's root is the container's own cgroup.
  if (mount.root != "/" && path.starts_with(mount.root)) path = path.substr(mount.root.size());
  std::optional<double> smallest;
  for (;;) {
    auto q = quota_in(mount.mount_point + path, mount.v2);
    if (q && (!smallest || *q < *smallest)) smallest = q;
    if (path.empty() || path == "/") return smallest;
    path = path.substr(0, path.rfind('/'));
  }
}

}  // namespace

std::optional<double> cgroup_cpu_quota(const CgroupSources& sources) {
  std::string proc_cgroup = read_text(sources.proc_self_cgroup);
  std::istringstream mounts(read_text(sources.proc_self_mountinfo));
  std::optional<double> smallest;
  for (std::string line; std::getline(mounts, line);) {
    auto mount = parse_mount(line);
    if (!mount) continue;
    auto path = cgroup_path(proc_cgroup, mount->v2);
    auto q = path ? quota_along(*mount, *path) : std::nullopt;
    if (q && (!smallest || *q < *smallest)) smallest = q;
  }
  return smallest;
}

unsigned affinity_cpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  int n = CPU_COUNT(&set);
  return n > 0 ? static_cast<unsigned>(n) : 1;
}

unsigned cap_by_quota(unsigned affinity, std::optional<double> quota) {
  unsigned cpus = std::max(affinity, 1u);
  if (!quota) return cpus;
  double rounded = std::ceil(*quota - 1e-9);
  return rounded < cpus ? std::max(static_cast<unsigned>(rounded), 1u) : cpus;
}

unsigned cpu_count(const CgroupSources& sources) { return cap_by_quota(affinity_cpus(), cgroup_cpu_quota(sources)); }

unsigned share_of_cpus(unsigned percent, unsigned cpus) {
  unsigned long long n = static_cast<unsigned long long>(percent) * cpus / 100;
  return static_cast<unsigned>(std::clamp<unsigned long long>(n, 1, 1000000));
}

}  // namespace parstep
