// End to end: parstep's steps do not outlive parstep, whatever kills it
// (SPEC 4 v2, issue 11 item 5): SIGKILL (the watchdog), and every other
// signal whose default action would end it (handled like SIGTERM).
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

using Seconds = std::chrono::duration<double>;

// Eight steps that each announce themselves once their processes are in
// place: plain ones, ones that ignore SIGTERM, ones with a child in a
// session of its own (setsid), which ignores SIGTERM too.
std::vector<std::string> eight_steps(const std::string& fifo, std::vector<std::string>& sleeps) {
  std::vector<std::string> steps;
  std::string announce = "echo > " + fifo;
  for (int k = 0; k < 2; ++k) {
    for (int i = 0; i < 4; ++i) sleeps.push_back(unique_sleep());
    auto s = sleeps.end() - 4;
    steps.push_back(announce + "; exec sleep " + s[0]);
    steps.push_back("trap '' TERM; " + announce + "; sleep " + s[1] + "; :");
    steps.push_back("setsid sleep " + s[2] + " & " + announce + "; wait");
    steps.push_back("(trap '' TERM; exec setsid sleep " + s[3] + ") & " + announce + "; wait");
  }
  return steps;
}

// Waits until every process in `pids` has ended; returns how long that took,
// or nullopt when one is still alive after `limit`.
std::optional<double> time_until_gone(const std::vector<pid_t>& pids, std::chrono::milliseconds limit) {
  auto start = std::chrono::steady_clock::now();
  std::vector<pollfd> fds;
  for (pid_t p : pids) {
    int fd = static_cast<int>(syscall(SYS_pidfd_open, p, 0));
    if (fd >= 0) fds.push_back({fd, POLLIN, 0});  // an error: already gone
  }
  bool all = true;
  for (auto& f : fds) {
    auto left = limit - std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    if (poll(&f, 1, std::max<int>(0, static_cast<int>(left.count()))) != 1) all = false;
    close(f.fd);
  }
  if (!all) return std::nullopt;
  return Seconds(std::chrono::steady_clock::now() - start).count();
}

std::vector<pid_t> processes_of(const std::vector<std::string>& sleeps) {
  std::vector<pid_t> pids;
  for (const auto& s : sleeps)
    for (pid_t p : processes_with_argument(s)) pids.push_back(p);
  return pids;
}

TEST(Survival, NoStepOutlivesParstepKilledWithSigkill) {
  std::vector<double> times;
  for (int round = 0; round < 50; ++round) {
    TempDir dir;
    Fifo started(dir.file("started"));
    std::vector<std::string> sleeps;
    std::vector<std::string> args{"-j8"};
    for (auto& step : eight_steps(started.path(), sleeps)) args.push_back(step);
    Child c = start_parstep(args);
    for (int i = 0; i < 8; ++i) ASSERT_TRUE(started.read_line(std::chrono::minutes(2))) << "round " << round;
    // A background sleep may announce itself before its exec: look until
    // all eight are there.
    std::vector<pid_t> pids;
    for (auto until = std::chrono::steady_clock::now() + std::chrono::minutes(1);
         (pids = processes_of(sleeps)).size() < 8 && std::chrono::steady_clock::now() < until;)
      poll(nullptr, 0, 5);
    ASSERT_EQ(pids.size(), 8u) << "round " << round;
    auto killed = std::chrono::steady_clock::now();
    kill(c.pid(), SIGKILL);
    auto gone = time_until_gone(pids, std::chrono::seconds(2));
    if (!gone) {
      for (pid_t p : processes_of(sleeps))
        ADD_FAILURE() << "left: " << p << " " << read_file("/proc/" + std::to_string(p) + "/stat");
    }
    ASSERT_TRUE(gone) << "round " << round << ": a step survived parstep's SIGKILL by 2 s";
    times.push_back(Seconds(std::chrono::steady_clock::now() - killed).count());
    c.finish();
    EXPECT_TRUE(processes_of(sleeps).empty());
  }
  std::sort(times.begin(), times.end());
  std::cout << "kill -9 to no step process left, 50 runs: median " << times[times.size() / 2] * 1000
            << " ms, max " << times.back() * 1000 << " ms\n";
}

class FatalSignal : public testing::TestWithParam<int> {};

TEST_P(FatalSignal, StopsEveryStepThenDiesOfIt) {
  TempDir dir;
  Fifo started(dir.file("started"));
  std::vector<std::string> sleeps;
  std::vector<std::string> args{"-j8", "--kill-after", "0.5"};
  for (auto& step : eight_steps(started.path(), sleeps)) args.push_back(step);
  Child c = start_parstep(args);
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(started.read_line(std::chrono::minutes(2)));
  kill(c.pid(), GetParam());
  int status = c.finish(std::chrono::minutes(2));
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == GetParam()) << "status " << status << "\n" << c.err;
  EXPECT_TRUE(processes_of(sleeps).empty());
  EXPECT_NE(c.err.find(": stopped\n"), std::string::npos) << c.err;
}

INSTANTIATE_TEST_SUITE_P(Signals, FatalSignal,
                         testing::Values(SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGVTALRM, SIGPROF,
                                         SIGXCPU, SIGRTMIN + 1),
                         [](const auto& info) {
                           const char* name = sigabbrev_np(info.param);
                           return name ? std::string(name) : "RT" + std::to_string(info.param);
                         });

}  // namespace
}  // namespace parstep::test
