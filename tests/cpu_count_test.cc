#include "cpu_count.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "test_util.h"

namespace parstep {
namespace {

using test::TempDir;
using test::write_file;

// A sample machine: a v2 hierarchy and a v1 cpu hierarchy mounted in a
// temporary directory, and the /proc/self files that point into them.
class Cgroups : public testing::Test {
 protected:
  void SetUp() override {
    sources.proc_self_cgroup = dir.file("cgroup");
    sources.proc_self_mountinfo = dir.file("mountinfo");
  }
  std::string make(const std::string& cgroup_dir) {
    std::filesystem::create_directories(dir.file(cgroup_dir));
    return dir.file(cgroup_dir);
  }
  void mounts(const std::string& lines) { write_file(sources.proc_self_mountinfo, lines); }
  std::string v2_mount(const std::string& root = "/") {
    return "30 23 0:26 " + root + " " + make("v2") + " rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";
  }
  std::string v1_mount(const std::string& controllers = "cpu,cpuacct") {
    return "33 25 0:29 / " + make("v1") + " rw,nosuid shared:9 - cgroup cgroup rw," + controllers + "\n";
  }

  TempDir dir;
  CgroupSources sources;
};

TEST_F(Cgroups, NoQuotaAnywhereIsNoLimit) {
  make("v2/build.slice");
  write_file(dir.file("v2/cpu.max"), "max 100000\n");
  write_file(dir.file("v2/build.slice/cpu.max"), "max 100000\n");
  mounts(v2_mount());
  write_file(sources.proc_self_cgroup, "0::/build.slice\n");
  EXPECT_EQ(cgroup_cpu_quota(sources), std::nullopt);
}

TEST_F(Cgroups, V2QuotaOfTheProcessCgroup) {
  make("v2/build.slice/job");
  write_file(dir.file("v2/build.slice/job/cpu.max"), "150000 100000\n");
  mounts(v2_mount());
  write_file(sources.proc_self_cgroup, "0::/build.slice/job\n");
  EXPECT_EQ(cgroup_cpu_quota(sources), 1.5);
}

TEST_F(Cgroups, AnAncestorsSmallerQuotaWins) {
  make("v2/a/b/c");
  write_file(dir.file("v2/a/cpu.max"), "200000 100000\n");
  write_file(dir.file("v2/a/b/cpu.max"), "max 100000\n");
  write_file(dir.file("v2/a/b/c/cpu.max"), "800000 100000\n");
  mounts(v2_mount());
  write_file(sources.proc_self_cgroup, "0::/a/b/c\n");
  EXPECT_EQ(cgroup_cpu_quota(sources), 2.0);
}

TEST_F(Cgroups, V1CfsQuotaAndPeriod) {
  make("v1/docker/abc");
  write_file(dir.file("v1/docker/cpu.cfs_quota_us"), "-1\n");
  write_file(dir.file("v1/docker/cpu.cfs_period_us"), "100000\n");
  write_file(dir.file("v1/docker/abc/cpu.cfs_quota_us"), "50000\n");
  write_file(dir.file("v1/docker/abc/cpu.cfs_period_us"), "100000\n");
  mounts(v1_mount() + "34 25 0:30 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
  write_file(sources.proc_self_cgroup, "9:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n0::/\n");
  EXPECT_EQ(cgroup_cpu_quota(sources), 0.5);
}

TEST_F(Cgroups, AContainersMountRootIsItsOwnCgroup) {
  // Inside a container without a cgroup namespace the mount's root is the
  // container's cgroup, and /proc/self/cgroup names the full path.
  write_file(make("v1") + "/cpu.cfs_quota_us", "300000\n");
  write_file(dir.file("v1/cpu.cfs_period_us"), "100000\n");
  write_file(sources.proc_self_mountinfo,
             "33 25 0:29 /docker/abc " + dir.file("v1") + " rw - cgroup cgroup rw,cpu,cpuacct\n");
  write_file(sources.proc_self_cgroup, "4:cpu,cpuacct:/docker/abc\n");
  EXPECT_EQ(cgroup_cpu_quota(sources), 3.0);
}

TEST_F(Cgroups, BothHierarchiesCountAndTheSmallerWins) {
  make("v2/s");
  write_file(dir.file("v2/s/cpu.max"), "400000 100000\n");
  write_file(make("v1/t") + "/cpu.cfs_quota_us", "250000\n");
  write_file(dir.file("v1/t/cpu.cfs_period_us"), "100000\n");
  mounts(v2_mount() + v1_mount("cpu"));
  write_file(sources.proc_self_cgroup, "4:cpu:/t\n0::/s\n");
  EXPECT_EQ(cgroup_cpu_quota(sources), 2.5);
}

TEST_F(Cgroups, UnreadableOrMissingFilesMeanNoLimit) {
  sources.proc_self_cgroup = dir.file("missing");
  sources.proc_self_mountinfo = dir.file("missing too");
  EXPECT_EQ(cgroup_cpu_quota(sources), std::nullopt);
  mounts(v2_mount());
  write_file(dir.file("cgroup"), "0::/gone\n");
  sources.proc_self_cgroup = dir.file("cgroup");
  write_file(dir.file("v2/cpu.max"), "garbage\n");
  EXPECT_EQ(cgroup_cpu_quota(sources), std::nullopt);
}

TEST(CpuCount, QuotaCapsTheAffinityRoundedUpAndAtLeastOne) {
  EXPECT_EQ(cap_by_quota(8, std::nullopt), 8u);
  EXPECT_EQ(cap_by_quota(8, 2.0), 2u);
  EXPECT_EQ(cap_by_quota(8, 1.5), 2u);
  EXPECT_EQ(cap_by_quota(8, 0.1), 1u);
  EXPECT_EQ(cap_by_quota(2, 16.0), 2u);
  EXPECT_EQ(cap_by_quota(0, std::nullopt), 1u);
  EXPECT_GE(cpu_count(), 1u);
  EXPECT_LE(cpu_count(), affinity_cpus());
}

TEST(CpuCount, PercentagesOfTheCpus) {
  EXPECT_EQ(share_of_cpus(50, 2), 1u);
  EXPECT_EQ(share_of_cpus(200, 2), 4u);
  EXPECT_EQ(share_of_cpus(10, 2), 1u);  // at least 1
  EXPECT_EQ(share_of_cpus(150, 3), 4u);  // 4.5 rounded down
  EXPECT_EQ(share_of_cpus(100, 64), 64u);
}

}  // namespace
}  // namespace parstep
