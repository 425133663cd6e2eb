#include "subprocess.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tuple>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep {
namespace {

struct Ran {
  std::string output;
  int status = 0;
  pid_t pid = 0;
};

Ran run_shell(const std::string& command, std::vector<std::string> env = {}, std::string cwd = {}) {
  int p[2];
  EXPECT_EQ(pipe2(p, O_CLOEXEC), 0);
  SpawnRequest r;
  r.argv = {"/bin/sh", "-c", command};
  r.env = std::move(env);
  r.cwd = std::move(cwd);
  r.output_fd = p[1];
  Ran ran;
  ran.pid = spawn_process(r);
  close(p[1]);
  char buffer[4096];
  for (ssize_t n; (n = read(p[0], buffer, sizeof buffer)) > 0;) ran.output.append(buffer, n);
  close(p[0]);
  waitpid(ran.pid, &ran.status, 0);
  return ran;
}

TEST(Subprocess, RunsInItsOwnProcessGroupWithStdinOnDevNull) {
  Ran ran = run_shell("cut -d' ' -f5 /proc/$$/stat; readlink /proc/$$/fd/0");
  EXPECT_EQ(ran.output, std::to_string(ran.pid) + "\n/dev/null\n");
}

TEST(Subprocess, StdoutAndStderrShareOneStreamInWriteOrder) {
  EXPECT_EQ(run_shell("echo 1; echo 2 >&2; echo 3").output, "1\n2\n3\n");
}

TEST(Subprocess, OnlyDescriptorsZeroOneTwoSurvive) {
  close_inherited_descriptors_on_exec();
  int leaked = open("/dev/null", O_RDONLY);  // not close-on-exec
  fcntl(leaked, F_SETFD, 0);
  close_inherited_descriptors_on_exec();
  EXPECT_EQ(run_shell("ls /proc/self/fd | sort -n | tr '\\n' ' '").output, "0 1 2 3 ");  // 3: ls's own dir
  close(leaked);
}

// One Spawner keeps set-ups by (stdin, stdout, cwd): every process still
// gets its own, whether a set-up is new, kept, or kept for another.
TEST(Subprocess, ASpawnerGivesEachProcessItsOwnDescriptorsAndCwd) {
  test::TempDir a, b;
  int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  char here[4096];
  ASSERT_NE(getcwd(here, sizeof here), nullptr);
  Spawner spawner;
  // shift: a descriptor held open first moves the pipe to another number.
  for (const auto& [shift, cwd, input] : std::vector<std::tuple<bool, std::string, int>>{
           {false, a.path(), -1}, {true, b.path(), -1}, {false, b.path(), null}, {false, a.path(), -1},
           {true, b.path(), null}, {true, "", -1}, {true, b.path(), -1}}) {
    int held = shift ? open("/dev/null", O_RDONLY | O_CLOEXEC) : -1;
    int p[2];
    ASSERT_EQ(pipe2(p, O_CLOEXEC), 0);
    SpawnRequest r;
    r.argv = {"/bin/sh", "-c", "echo \"$(pwd) $(readlink /proc/self/fd/0)\""};
    r.cwd = cwd;
    r.output_fd = p[1];
    r.input_fd = input;
    pid_t pid = spawner.spawn(r);
    close(p[1]);
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = read(p[0], buffer, sizeof buffer)) > 0;) text.append(buffer, n);
    close(p[0]);
    if (held >= 0) close(held);
    int status = 0;
    EXPECT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_EQ(text, (cwd.empty() ? std::string(here) : cwd) + " /dev/null\n");
  }
  close(null);
}

TEST(Subprocess, GetsExactlyTheEnvironmentAndCwdGiven) {
  test::TempDir dir;
  Ran ran = run_shell("echo \"$A|$B|$(pwd)\"", {"A=1", "B=two words"}, dir.path());
  EXPECT_EQ(ran.output, "1|two words|" + dir.path() + "\n");
}

TEST(Subprocess, AMissingProgramOrCwdIsAnErrorNamingIt) {
  SpawnRequest r;
  r.argv = {"parstep-no-such-program"};
  r.output_fd = 1;
  try {
    spawn_process(r);
    ADD_FAILURE() << "started";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), ENOENT);
    EXPECT_NE(std::string(e.what()).find("parstep-no-such-program"), std::string::npos);
  }
  r.argv = {"/bin/true"};
  r.cwd = "/nonexistent-dir";
  EXPECT_THROW(spawn_process(r), std::system_error);
}

TEST(Subprocess, AFailedSetUpCallIsAnErrorAndStartsNothing) {
  SpawnRequest r;
  r.argv = {"/bin/true"};
  r.output_fd = -1;  // posix_spawn_file_actions_adddup2 refuses it: EBADF
  try {
    spawn_process(r);
    ADD_FAILURE() << "started";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), EBADF);
    EXPECT_NE(std::string(e.what()).find("posix_spawn_file_actions_adddup2"), std::string::npos) << e.what();
  }
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1) << "a child was started";
}

TEST(Environment, DropsInheritedParstepVariablesButOptionsAndReplacesKeys) {
  Environment env({"PATH=/bin", "PARSTEP_SLOT=9", "PARSTEP_OPTIONS=-j2", "K=old"});
  EXPECT_EQ(env.with({{"K", "new"}, {"PARSTEP_SLOT", "1"}}),
            (std::vector<std::string>{"PATH=/bin", "PARSTEP_OPTIONS=-j2", "K=new", "PARSTEP_SLOT=1"}));
}

}  // namespace
}  // namespace parstep
