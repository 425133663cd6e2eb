#include "jobserver.h"

#include <gtest/gtest.h>

namespace parstep {
namespace {

TEST(Makeflags, ReadsEachFormTheLastOneWinning) {
  auto a = parse_makeflags(" -j4 --jobserver-auth=3,4");
  EXPECT_EQ(a.kind, JobserverAuth::Kind::fds);
  EXPECT_EQ(a.read_fd, 3);
  EXPECT_EQ(a.write_fd, 4);
  EXPECT_EQ(a.jobs, 4u);
  auto old = parse_makeflags("s -j --jobserver-fds=5,6");
  EXPECT_EQ(old.kind, JobserverAuth::Kind::fds);
  EXPECT_EQ(old.read_fd, 5);
  EXPECT_EQ(old.jobs, 0u);
  auto fifo = parse_makeflags("-j8 --jobserver-auth=fifo:/tmp/GMfifo12\\ 3 --jobserver-auth=fifo:/tmp/a\\ b");
  EXPECT_EQ(fifo.kind, JobserverAuth::Kind::fifo);
  EXPECT_EQ(fifo.fifo, "/tmp/a b");
  EXPECT_EQ(parse_makeflags("--jobs=6").jobs, 6u);
  EXPECT_EQ(parse_makeflags("-j 5").jobs, 5u);
  EXPECT_EQ(parse_makeflags("k").jobs, std::nullopt);
  EXPECT_EQ(parse_makeflags("-j2 -- V=-j9 W=--jobserver-auth=3,4").jobs, 2u);
  EXPECT_EQ(parse_makeflags("-j2 -- --jobserver-auth=3,4").kind, JobserverAuth::Kind::none);
}

TEST(Makeflags, MalformedJobserverOptionsMeanNone) {
  for (const char* flags : {"--jobserver-auth=", "--jobserver-auth=3", "--jobserver-auth=a,b", "--jobserver-auth=fifo:",
                            "--jobserver-auth=-1,2", "--jobserver-auth=3,4x", "--jobserver-auth=99999999999,1",
                            "--jobserver-auth=3,4 --jobserver-auth=bad"})
    EXPECT_EQ(parse_makeflags(flags).kind, JobserverAuth::Kind::none) << flags;
}

TEST(Makeflags, ForStepsReplacesJobsAndJobserverKeepingTheRest) {
  EXPECT_EQ(makeflags_for_steps("", 4, "--jobserver-auth=fifo:/x"), "-j4 --jobserver-auth=fifo:/x");
  EXPECT_EQ(makeflags_for_steps("ks -j2 --jobserver-auth=3,4 -- V=a\\ b", 8, "--jobserver-auth=5,6"),
            " ks -j8 --jobserver-auth=5,6 -- V=a\\ b");
  EXPECT_EQ(makeflags_for_steps("-j 3 -k", 2, "A"), "-k -j2 A");
  EXPECT_EQ(makeflags_for_steps("", 2, "--jobserver-auth=fifo:/tmp/my dir/fifo"),
            "-j2 --jobserver-auth=fifo:/tmp/my\\ dir/fifo");
  EXPECT_EQ(parse_makeflags(makeflags_for_steps("", 2, "--jobserver-auth=fifo:/tmp/my dir/fifo")).fifo,
            "/tmp/my dir/fifo");
}

TEST(Makeflags, WithoutJobserverDropsItsWordsAndJobs) {
  EXPECT_EQ(makeflags_without_jobserver(" -j3 --jobserver-auth=3,4"), "");
  EXPECT_EQ(makeflags_without_jobserver("ks -j3 --jobserver-fds=3,4 --no-print-directory -- V=a\\ b"),
            " ks --no-print-directory -- V=a\\ b");
  EXPECT_EQ(makeflags_without_jobserver("-k --jobserver-auth=fifo:/tmp/x -j 2"), "-k");
  EXPECT_EQ(parse_makeflags(makeflags_without_jobserver("s -j2 --jobserver-auth=fifo:/a")).kind,
            JobserverAuth::Kind::none);
}

TEST(Makeflags, DryRunIsAnNInTheFirstWordOfSingleLetterFlags) {
  EXPECT_TRUE(makeflags_dry_run("n"));
  EXPECT_TRUE(makeflags_dry_run("kn -j3 --jobserver-auth=3,4"));
  EXPECT_TRUE(makeflags_dry_run(" n --no-print-directory"));
  EXPECT_FALSE(makeflags_dry_run(""));
  EXPECT_FALSE(makeflags_dry_run(" -j3 --jobserver-auth=3,4"));
  EXPECT_FALSE(makeflags_dry_run("ks -n"));  // only the first word counts
  EXPECT_FALSE(makeflags_dry_run("--no-print-directory"));
  EXPECT_FALSE(makeflags_dry_run("-- name=n"));
  EXPECT_FALSE(makeflags_dry_run("name=n"));
}

TEST(MakeVersion, ReadsTheFirstLine) {
  EXPECT_EQ(make_version("GNU Make 4.3\nBuilt for x86_64-pc-linux-gnu\n"), (std::pair{4, 3}));
  EXPECT_EQ(make_version("GNU Make 4.4.1\n"), (std::pair{4, 4}));
  EXPECT_EQ(make_version("bmake 2024"), std::nullopt);
}

}  // namespace
}  // namespace parstep
