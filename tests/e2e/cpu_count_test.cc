// End to end: the CPU count under a real cgroup CPU quota (SPEC 1).
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

// A cgroup with a quota of one CPU, where the machine lets this test make
// one (root, and a cgroup v2 or v1 cpu hierarchy mounted writable).
class QuotaCgroup {
 public:
  QuotaCgroup() {
    std::string name = "parstep-test-" + std::to_string(getpid());
    for (auto [root, v2] : {std::pair{"/sys/fs/cgroup/unified", true}, {"/sys/fs/cgroup", true},
                            {"/sys/fs/cgroup/cpu", false}, {"/sys/fs/cgroup/cpu,cpuacct", false}}) {
      std::string dir = std::string(root) + "/" + name;
      struct statfs fs;
      bool cgroup_fs = statfs(root, &fs) == 0 && (fs.f_type == CGROUP2_SUPER_MAGIC || fs.f_type == CGROUP_SUPER_MAGIC);
      if (!cgroup_fs || mkdir(dir.c_str(), 0755) != 0) continue;
      bool set = v2 ? write(dir + "/cpu.max", "100000 100000")
                    : write(dir + "/cpu.cfs_period_us", "100000") && write(dir + "/cpu.cfs_quota_us", "100000");
      if (set) {
        path_ = dir;
        return;
      }
      rmdir(dir.c_str());
    }
  }
  ~QuotaCgroup() {
    if (!path_.empty()) rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  static bool write(const std::string& file, const std::string& text) {
    std::ofstream out(file, std::ios::in | std::ios::out);  // never creates: the kernel provides it
    out << text;
    out.flush();
    return out.good();
  }
  std::string path_;
};

TEST(CpuCount, ACgroupQuotaOfOneCpuMakesTheDefaultOneJob) {
  QuotaCgroup cgroup;
  if (cgroup.path().empty()) GTEST_SKIP() << "cannot make a cgroup with a CPU quota here (needs root and a writable cgroup fs)";
  TempDir dir;
  // The shell moves itself into the cgroup, then becomes parstep.
  std::string enter = "echo $$ > " + cgroup.path() + "/cgroup.procs && exec \"$@\"";
  Child c({"/bin/sh", "-c", enter, "sh", parstep_path(), "--report", dir.file("r.json"), "true"}, {});
  EXPECT_EQ(WEXITSTATUS(c.finish()), 0) << c.err;
  EXPECT_EQ(nlohmann::json::parse(read_file(dir.file("r.json")))["jobs"], 1);
  Child h({"/bin/sh", "-c", enter, "sh", parstep_path(), "--help"}, {});
  h.finish();
  EXPECT_NE(h.out.find("CPU count, here 1)"), std::string::npos) << h.out;
}

TEST(CpuCount, PercentOfTheCpus) {
  TempDir dir;
  Result r = run_parstep({"-j", "200%", "--report", dir.file("r.json"), "true"});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  auto jobs = nlohmann::json::parse(read_file(dir.file("r.json")))["jobs"].get<long>();
  EXPECT_GE(jobs, 2);  // at least twice the (quota-capped) CPU count of 1 or more
  EXPECT_LE(jobs, 2 * cpus);
  r = run_parstep({"-j", "1%", "--report", dir.file("r.json"), "true"});
  EXPECT_EQ(nlohmann::json::parse(read_file(dir.file("r.json")))["jobs"], 1);
}

}  // namespace
}  // namespace parstep::test
