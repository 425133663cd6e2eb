#include "spool.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep {
namespace {

TEST(Spool, IsAnUnlinkedPrivateFile) {
  Spool s = Spool::create();
  struct stat st;
  ASSERT_EQ(fstat(s.fd(), &st), 0);
  EXPECT_EQ(st.st_nlink, 0u);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(fcntl(s.fd(), F_GETFD) & FD_CLOEXEC);
}

TEST(Spool, FillsFromAPipeUntilDrainedThenEof) {
  Spool s = Spool::create();
  int p[2];
  ASSERT_EQ(pipe2(p, O_NONBLOCK), 0);
  std::string data(50000, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7);
  ASSERT_EQ(write(p[1], data.data(), data.size()), static_cast<ssize_t>(data.size()));
  EXPECT_EQ(s.fill_from(p[0]), Spool::Fill::drained);
  EXPECT_EQ(s.size(), data.size());
  close(p[1]);
  EXPECT_EQ(s.fill_from(p[0]), Spool::Fill::eof);
  close(p[0]);
  EXPECT_EQ(s.read(0, data.size()), data);
}

// Printed bytes give their space back; offsets, size and the rest stay.
TEST(Spool, DiscardGivesBackWholeUnitsAndKeepsOffsets) {
  Spool s = Spool::create();
  std::string data(3 * Spool::kDiscardUnit + 10, 'x');
  s.append(data);
  struct stat before;
  ASSERT_EQ(fstat(s.fd(), &before), 0);
  s.discard_before(2 * Spool::kDiscardUnit + 5);
  struct stat after;
  ASSERT_EQ(fstat(s.fd(), &after), 0);
  if (s.discarded() == 0) GTEST_SKIP() << "this filesystem cannot punch holes";
  EXPECT_EQ(s.discarded(), 2 * Spool::kDiscardUnit);
  EXPECT_EQ(s.size(), data.size());
  EXPECT_EQ(after.st_size, before.st_size);
  EXPECT_LE(after.st_blocks * 512, before.st_blocks * 512 - 2 * Spool::kDiscardUnit);
  EXPECT_EQ(s.read(0, 2), std::string(2, '\0'));
  EXPECT_EQ(s.read(2 * Spool::kDiscardUnit, 4), "xxxx");
  s.append("end");
  EXPECT_EQ(s.tail(1), std::string(Spool::kDiscardUnit + 10, 'x').substr(0, 8192 - 3) + "end");
  s.discard_before(Spool::kDiscardUnit);  // already given back: nothing to do
  EXPECT_EQ(s.discarded(), 2 * Spool::kDiscardUnit);
  s.clear();
  EXPECT_EQ(s.discarded(), 0u);
}

TEST(Spool, TailKeepsTheLastLines) {
  Spool s = Spool::create();
  s.append("1\n2\n3\n4\n");
  EXPECT_EQ(s.tail(2), "3\n4");
  EXPECT_EQ(s.tail(10), "1\n2\n3\n4");
  s.append("partial");
  EXPECT_EQ(s.tail(2), "4\npartial");
  EXPECT_FALSE(s.ends_with_newline());
}

TEST(Spool, TailReadsABoundedAmount) {
  Spool s = Spool::create();
  s.append(std::string(100000, 'x') + "\nlast\n");
  EXPECT_EQ(s.tail(3, 100).size(), 99u);  // the start of the long line is cut
  EXPECT_TRUE(s.tail(3, 100).ends_with("\nlast"));
}

TEST(Spool, FallsBackToMkstempWhereTmpfileIsUnavailable) {
  // A TMPDIR that does not exist: a clear error naming the directory.
  test::TempDir dir;
  std::string missing = dir.file("missing");
  std::string old = getenv("TMPDIR") ? getenv("TMPDIR") : "";
  setenv("TMPDIR", missing.c_str(), 1);
  try {
    Spool::create();
    ADD_FAILURE() << "created a spool in a missing directory";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
  old.empty() ? unsetenv("TMPDIR") : setenv("TMPDIR", old.c_str(), 1);
}

}  // namespace
}  // namespace parstep
