// End to end: --log-dir against what others may have put in the way, and
// the modes of everything parstep writes (SPEC 5, README "Security").
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

mode_t mode_of(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? st.st_mode & 07777 : 0;
}

// A fifo with a step's log name, nobody reading it: parstep warns and runs on
// (it used to block in open(2) until killed).
TEST(LogDir, AFifoWithALogsNameIsRefusedWithoutBlocking) {
  TempDir dir;
  std::filesystem::create_directory(dir.file("logs"));
  ASSERT_EQ(mkfifo(dir.file("logs/echo_x.log").c_str(), 0600), 0);
  Result r = run_parstep({"-j1", "--log-dir", dir.file("logs"), "--no-header", "echo x", "echo y"});
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.out, "x\ny\n");
  EXPECT_EQ(r.err, "parstep: warning: " + dir.file("logs/echo_x.log") +
                       " is not a regular file; refusing to write the log to it\n");
  EXPECT_EQ(read_file(dir.file("logs/echo_y.log")), "y\n");
}

// The same with a reader holding the fifo open: opening succeeds, writing
// into it is still refused.
TEST(LogDir, AFifoWithAReaderIsRefusedToo) {
  TempDir dir;
  std::filesystem::create_directory(dir.file("logs"));
  ASSERT_EQ(mkfifo(dir.file("logs/echo_x.log").c_str(), 0600), 0);
  int reader = open(dir.file("logs/echo_x.log").c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(reader, 0);
  Result r = run_parstep({"--log-dir", dir.file("logs"), "--no-header", "echo x"});
  char byte;
  EXPECT_EQ(read(reader, &byte, 1), 0) << "parstep wrote into the fifo";
  close(reader);
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.err, "parstep: warning: " + dir.file("logs/echo_x.log") +
                       " is not a regular file; refusing to write the log to it\n");
}

TEST(LogDir, AWorldWritableDirectoryWithoutStickyBitIsRefused) {
  TempDir dir;
  std::filesystem::create_directory(dir.file("logs"));
  chmod(dir.file("logs").c_str(), 0777);
  Result r = run_parstep({"--log-dir", dir.file("logs"), "touch " + dir.file("ran")});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.err, "parstep: error: --log-dir: " + dir.file("logs") +
                       " is world-writable without the sticky bit; refusing to keep logs there\n");
  EXPECT_NE(access(dir.file("ran").c_str(), F_OK), 0) << "a step ran";
}

// As ssh and tmux do: a directory another user made is theirs to read.
TEST(LogDir, ADirectoryOfAnotherUserIsRefused) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to make a directory owned by another user";
  TempDir dir;
  chmod(dir.path().c_str(), 0755);
  std::filesystem::create_directory(dir.file("logs"));
  ASSERT_EQ(chown(dir.file("logs").c_str(), 65534, 65534), 0);
  Result r = run_parstep({"--log-dir", dir.file("logs"), "touch " + dir.file("ran")});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.err, "parstep: error: --log-dir: " + dir.file("logs") +
                       " belongs to another user (uid 65534); refusing to keep logs there\n");
  EXPECT_NE(access(dir.file("ran").c_str(), F_OK), 0) << "a step ran";
}

// In a shared directory (sticky, world-writable, like /tmp) another user may
// plant a file with a log's name to read the output: it is not written.
TEST(LogDir, AFilePlantedByAnotherUserIsNotWritten) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to plant a file owned by another user";
  TempDir dir;
  chmod(dir.path().c_str(), 01777);
  write_file(dir.file("echo_secret.log"), "");
  ASSERT_EQ(chown(dir.file("echo_secret.log").c_str(), 65534, 65534), 0);
  Result r = run_parstep({"--log-dir", dir.path(), "--no-header", "echo secret"});
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.err, "parstep: warning: " + dir.file("echo_secret.log") +
                       " belongs to another user; refusing to write the log to it\n");
  EXPECT_EQ(read_file(dir.file("echo_secret.log")), "");
}

// Report, trace and logs are created as open(2) would: 0666 less the umask.
TEST(LogDir, RecordsHonourTheUmask) {
  for (mode_t mask : {mode_t{077}, mode_t{022}}) {
    TempDir dir;
    mode_t old = umask(mask);
    Result r = run_parstep({"--log-dir", dir.file("logs"), "--report", dir.file("r.json"), "--trace",
                            dir.file("t.json"), "echo x"});
    umask(old);
    EXPECT_EQ(r.exit_code(), 0) << r.err;
    for (std::string file : {"logs/echo_x.log", "r.json", "t.json"})
      EXPECT_EQ(mode_of(dir.file(file)), 0666 & ~mask) << file << " under umask 0" << std::oct << mask;
  }
}

}  // namespace
}  // namespace parstep::test
