// Stress tests (ctest label "stress"): many steps, many interrupts, few
// descriptors, a full disk. Each is bounded in time.
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include <gtest/gtest.h>

#include "stress_stream.h"
#include "test_util.h"

namespace parstep::test {
namespace {

using nlohmann::json;

struct Planned {
  std::uint64_t seed, size;
  int exit_code;
};

// Checks a --no-header output made of stress_step streams, each starting
// with "step <i>\n": every step's stream appears exactly once, intact.
void expect_every_stream_once(const std::string& path, const std::vector<Planned>& plan) {
  std::ifstream in(path, std::ios::binary);
  std::vector<bool> seen(plan.size());
  std::size_t streams = 0;
  std::uint64_t bytes = 0;
  for (std::string header; std::getline(in, header);) {
    ASSERT_TRUE(header.starts_with("step ")) << "garbage after " << streams << " streams: " << header.substr(0, 40);
    std::size_t i = std::stoul(header.substr(5));
    ASSERT_LT(i, plan.size());
    ASSERT_FALSE(seen[i]) << "step " << i << " printed twice";
    seen[i] = true;
    std::vector<char> expected = stress::stream(plan[i].seed, plan[i].size);
    std::vector<char> got(expected.size());
    in.read(got.data(), static_cast<std::streamsize>(got.size()));
    ASSERT_TRUE(got == expected) << "step " << i << "'s " << plan[i].size << " bytes differ";
    ++streams;
    bytes += plan[i].size;
  }
  EXPECT_EQ(streams, plan.size());
  testing::Test::RecordProperty("bytes_checked", std::to_string(bytes));
  std::cout << "checked " << streams << " steps, " << bytes << " bytes of output\n";
}

TEST(Stress, FiveThousandStepsEachOutputExactlyOnceAndIntact) {
  TempDir dir;
  std::mt19937_64 random(20261122);
  std::vector<Planned> plan;
  json steps = json::array();
  for (int i = 0; i < 5000; ++i) {
    bool big = random() % 10 == 0;
    Planned p{random(), random() % (big ? 4u << 20 : 16u << 10), random() % 5 == 0 ? int(1 + random() % 200) : 0};
    plan.push_back(p);
    steps.push_back({{"argv", {STRESS_STEP, std::to_string(i), std::to_string(p.seed), std::to_string(p.size),
                               std::to_string(random() % 4), std::to_string(p.exit_code)}}});
  }
  write_file(dir.file("m.json"), json({{"steps", steps}}).dump());
  int out = open(dir.file("out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  Child::Options o;
  o.stdout_fd = out;
  Result r = run_parstep({"-j8", "--no-header", "-f", dir.file("m.json"), "--report", dir.file("r.json")}, o);
  close(out);
  EXPECT_EQ(r.exit_code(), 1);
  expect_every_stream_once(dir.file("out"), plan);
  json report = json::parse(read_file(dir.file("r.json")));
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const json& s = report["steps"][i];
    ASSERT_EQ(s["status"], plan[i].exit_code == 0 ? "ok" : "failed") << i;
    ASSERT_EQ(s["exit_code"], plan[i].exit_code) << i;
    ASSERT_EQ(s["output_bytes"], plan[i].size + ("step " + std::to_string(i) + "\n").size()) << i;
  }
}

// One 50-step run stopped by a signal at a random moment, or halted by a
// random failing step: afterwards no descendant, no temporary file and no
// lost token may remain.
void stop_one_run(std::mt19937_64& random, bool interrupt, int signal) {
  TempDir dir;
  std::string tmp = dir.file("tmp");
  std::filesystem::create_directory(tmp);
  std::string marker = unique_sleep();
  std::vector<std::string> args{"-j4", "--kill-after", "0.1", "--no-header"};
  if (!interrupt) args.push_back("-x");
  // The marked sleeps run until stopped, so the failing step must be among
  // the first -j4 to start; its pause makes the moment of failure random.
  int failing = static_cast<int>(random() % 4);
  for (int k = 0; k < 50; ++k) {
    std::string pause = "sleep 0.0" + std::to_string(random() % 5) + "; ";
    if (!interrupt && k == failing) args.push_back(pause + "exit 1");
    else if (k % 7 == 3) args.push_back(pause + "(trap '' TERM; exec sleep " + marker + ") & wait");
    else if (k % 7 == 5) args.push_back(pause + "setsid sleep " + marker + " & wait");
    else if (k % 2) args.push_back(pause + "exec sleep " + marker);
    else args.push_back(pause + "echo done");
  }
  JobserverPool pool(3);
  Child::Options o;
  o.env = {pool.makeflags(), "TMPDIR=" + tmp};
  Child c = start_parstep(args, o);
  if (interrupt) {
    usleep(static_cast<useconds_t>(random() % 150000));
    kill(c.pid(), signal);
  }
  int status = c.finish();
  if (interrupt) {
    // A signal may come before parstep blocks it; then it dies of it anyway.
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == signal) << "status " << status;
  } else {
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << "status " << status << c.err;
  }
  ASSERT_TRUE(processes_with_argument(marker).empty()) << "a step's process survived";
  ASSERT_TRUE(std::filesystem::is_empty(tmp)) << "parstep left a file in its TMPDIR";
  ASSERT_EQ(pool.drain(), 3) << "a jobserver token was lost";
}

TEST(Stress, TwoHundredInterruptsAndAHundredHaltsLeaveNothingBehind) {
  std::mt19937_64 random(7);
  for (int run = 0; run < 200; ++run) {
    stop_one_run(random, true, run % 2 ? SIGINT : SIGTERM);
    if (HasFatalFailure()) return;
  }
  for (int run = 0; run < 100; ++run) {
    stop_one_run(random, false, 0);
    if (HasFatalFailure()) return;
  }
  std::cout << "300 stopped runs: no process, temporary file or token left behind\n";
}

TEST(Stress, SixtyFourDescriptorsStillRunFiveHundredStepsAtJobsZero) {
  TempDir dir;
  json steps = json::array();
  for (int i = 0; i < 500; ++i) steps.push_back({{"argv", {"sleep", "0.05"}}, {"name", "s" + std::to_string(i)}});
  write_file(dir.file("m.json"), json(steps).dump());
  Child c({"/bin/sh", "-c", "ulimit -n 64 && exec \"$0\" -j0 --no-header -f \"$1\" --report \"$2\"", parstep_path(),
           dir.file("m.json"), dir.file("r.json")},
          {});
  int status = c.finish();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << c.err;
  json report = json::parse(read_file(dir.file("r.json")));
  for (const auto& s : report["steps"]) ASSERT_EQ(s["status"], "ok") << s;
}

TEST(Stress, AFullDiskForTheSpoolIsReportedAndEveryStepStopped) {
  TempDir dir;
  std::string small = dir.file("small");
  std::filesystem::create_directory(small);
  if (geteuid() != 0 || mount("tmpfs", small.c_str(), "tmpfs", 0, "size=1m") != 0)
    GTEST_SKIP() << "needs root to mount a 1 MiB tmpfs as the spool's TMPDIR";
  std::string marker = unique_sleep();
  for (const char* mode : {"group", "line"}) {
    Child::Options o;
    o.env = {"TMPDIR=" + small};
    Result r = run_parstep({"-j3", "-x", "-o", mode, "--kill-after", "0.2", "head -c 5000000 /dev/zero",
                            "echo small", "exec sleep " + marker},
                           o);
    EXPECT_EQ(r.exit_code(), 1) << mode;
    EXPECT_NE(r.err.find("  head -c 5000000 /dev/zero: output could not be kept: No space left on device\n"),
              std::string::npos) << mode << ": " << r.err;
    EXPECT_TRUE(processes_with_argument(marker).empty()) << mode;
  }
  umount(small.c_str());
}

// Bytes already printed need not stay on disk: 100 MB streamed through line
// mode and a live ordered block fit a 50 MiB spool filesystem, and with
// --log-dir (elsewhere) every byte still reaches the log.
TEST(Stress, PrintedOutputLeavesTheSpoolSoStreamsOutgrowItsFilesystem) {
  TempDir dir;
  std::string small = dir.file("small");
  std::filesystem::create_directory(small);
  if (geteuid() != 0 || mount("tmpfs", small.c_str(), "tmpfs", 0, "size=50m") != 0)
    GTEST_SKIP() << "needs root to mount a 50 MiB tmpfs as the spool's TMPDIR";
  const std::uint64_t total = 100000000;
  std::string logs = dir.file("logs");
  for (std::string mode : {"line", "ordered"}) {
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    Child::Options o;
    o.env = {"TMPDIR=" + small};
    o.stdout_fd = null;
    Result r = run_parstep({"-o", mode, "--log-dir", logs, "--report", dir.file("r.json"),
                            "yes abc | head -c " + std::to_string(total)}, o);
    close(null);
    EXPECT_EQ(r.exit_code(), 0) << mode << ": " << r.err;
    json report = json::parse(read_file(dir.file("r.json")));
    EXPECT_EQ(report["steps"][0]["output_bytes"], total) << mode;
    std::string log = report["steps"][0]["log"];
    EXPECT_EQ(std::filesystem::file_size(log), total) << mode;
    // Trimmed ranges read back as zeros from the spool: the log must have
    // been given them before, so every sample is "abc\n".
    std::ifstream in(log, std::ios::binary);
    for (std::uint64_t at : {std::uint64_t{0}, total / 4, total / 2, total - 4}) {
      std::string sample(4, '\0');
      in.seekg(static_cast<std::streamoff>(at));
      in.read(sample.data(), 4);
      EXPECT_EQ(sample, "abc\n") << mode << " at " << at;
    }
  }
  umount(small.c_str());
}

}  // namespace
}  // namespace parstep::test
