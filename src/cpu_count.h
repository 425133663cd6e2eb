#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace parstep {

/// Where the cgroup facts are read from. The defaults are the real ones;
/// tests point them at sample trees in a temporary directory.
struct CgroupSources {
  std::string proc_self_cgroup = "/proc/self/cgroup";
  std::string proc_self_mountinfo = "/proc/self/mountinfo";
};

/// The CPU quota of the calling process's cgroup and every ancestor up to
/// the hierarchy's mount, as a number of CPUs (quota / period), the
/// smallest one found: cgroup v2 `cpu.max`, cgroup v1
/// `cpu.cfs_quota_us` / `cpu.cfs_period_us`. nullopt when no cgroup on the
/// path sets one (or nothing can be read: no limit is known).
std::optional<double> cgroup_cpu_quota(const CgroupSources& sources = {});

/// The CPUs of the affinity mask, at least 1.
unsigned affinity_cpus();

/// SPEC 1: `affinity` capped by `quota` rounded up, at least 1.
unsigned cap_by_quota(unsigned affinity, std::optional<double> quota);

/// The CPU count of SPEC 1: affinity_cpus() capped by cgroup_cpu_quota().
unsigned cpu_count(const CgroupSources& sources = {});

/// `-j N%`: `percent` of `cpus`, rounded down, at least 1.
unsigned share_of_cpus(unsigned percent, unsigned cpus);

}  // namespace parstep
