#include "sink.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "spool.h"
#include "test_util.h"

namespace parstep {
namespace {

Spool spool_with(const std::string& data) {
  Spool s = Spool::create();
  s.append(data);
  return s;
}

TEST(Sink, CopiesToAFileOpenedForAppend) {
  test::TempDir dir;
  std::string path = dir.file("log");
  test::write_file(path, "before\n");
  int fd = open(path.c_str(), O_WRONLY | O_APPEND);
  Spool s = spool_with("0123456789");
  Sink sink(fd);
  sink.copy(s.fd(), 2, 5);  // sendfile refuses O_APPEND: the fallback copies
  sink.write("!");
  close(fd);
  EXPECT_EQ(test::read_file(path), "before\n23456!");
}

TEST(Sink, CopiesToAPipeAndDevNull) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  Spool s = spool_with("hello pipe");
  Sink(p[1]).copy(s.fd(), 0, 10);
  close(p[1]);
  char buffer[32];
  ssize_t n = read(p[0], buffer, sizeof buffer);
  close(p[0]);
  EXPECT_EQ(std::string(buffer, n), "hello pipe");
  int null = open("/dev/null", O_WRONLY);
  Sink(null).copy(s.fd(), 0, 10);
  close(null);
}

TEST(Sink, CopiesMoreThanAPipeHoldsToANonBlockingPipe) {
  int p[2];
  ASSERT_EQ(pipe2(p, O_NONBLOCK), 0);
  std::string data(1 << 20, 'z');
  Spool s = spool_with(data);
  std::string got;
  pid_t reader = fork();
  if (reader == 0) {
    close(p[1]);
    fcntl(p[0], F_SETFL, 0);
    std::size_t total = 0;
    char buffer[65536];
    for (ssize_t n; (n = read(p[0], buffer, sizeof buffer)) > 0;) total += n;
    _exit(total == data.size() ? 0 : 1);
  }
  close(p[0]);
  Sink(p[1]).copy(s.fd(), 0, data.size());
  close(p[1]);
  int status = 0;
  waitpid(reader, &status, 0);
  EXPECT_EQ(status, 0);
}

TEST(Sink, AClosedReaderIsEpipe) {
  signal(SIGPIPE, SIG_IGN);
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  close(p[0]);
  try {
    Sink(p[1]).write("x");
    ADD_FAILURE() << "no error";
  } catch (const SinkError& e) {
    EXPECT_EQ(e.error, EPIPE);
  }
  close(p[1]);
  signal(SIGPIPE, SIG_DFL);
}

}  // namespace
}  // namespace parstep
