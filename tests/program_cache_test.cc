#include "program_cache.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep {
namespace {

using test::TempDir;
using test::write_file;

// A PATH of three directories, the first missing; "tool" is in the last.
class Cache : public testing::Test {
 protected:
  void SetUp() override {
    mkdir(dir.file("early").c_str(), 0755);
    mkdir(dir.file("late").c_str(), 0755);
    program(dir.file("late/tool"));
    path = dir.file("missing/bin") + ":" + dir.file("early") + ":" + dir.file("late");
  }
  static void program(const std::string& file, mode_t mode = 0755) {
    write_file(file, "#!/bin/sh\n");
    chmod(file.c_str(), mode);
  }
  // Looks up "tool" and says whether the answer came from memory.
  std::pair<std::optional<std::string>, bool> tool() {
    std::size_t before = cache.hits();
    auto found = cache.find("tool", path, "");
    return {found, cache.hits() != before};
  }
  // Whether looking `name` up again comes from memory, each time finding
  // `expected`. Any change in /tmp or / (other tests make directories there
  // all the time) makes the cache forget, so it is asked until an answer
  // comes from memory: one that never does fails.
  bool remembered(const std::string& name, const std::optional<std::string>& expected) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      std::size_t before = cache.hits();
      if (cache.find(name, path, "") != expected) return false;
      if (cache.hits() != before) return true;
    }
    return false;
  }
  TempDir dir;
  std::string path;
  ProgramCache cache;
};

TEST_F(Cache, ASecondLookupIsRemembered) {
  EXPECT_EQ(tool(), std::pair(std::optional(dir.file("late/tool")), false));
  EXPECT_TRUE(remembered("tool", dir.file("late/tool")));
  EXPECT_TRUE(remembered("absent", std::nullopt));  // not found is remembered too
}

TEST_F(Cache, AProgramMadeEarlierOnThePathIsFoundAtOnce) {
  tool();
  program(dir.file("early/tool"));
  EXPECT_EQ(tool(), std::pair(std::optional(dir.file("early/tool")), false));
  EXPECT_TRUE(remembered("tool", dir.file("early/tool")));
  ASSERT_EQ(unlink(dir.file("early/tool").c_str()), 0);
  EXPECT_EQ(tool(), std::pair(std::optional(dir.file("late/tool")), false));
}

TEST_F(Cache, AMissingPathDirectoryMadeLaterIsSeen) {
  tool();
  ASSERT_EQ(mkdir(dir.file("missing").c_str(), 0755), 0);
  tool();  // the event in an ancestor forgot it
  ASSERT_EQ(mkdir(dir.file("missing/bin").c_str(), 0755), 0);
  program(dir.file("missing/bin/tool"));
  EXPECT_EQ(tool(), std::pair(std::optional(dir.file("missing/bin/tool")), false));
}

TEST_F(Cache, ChmodRenameAndRewriteAreSeen) {
  tool();
  ASSERT_EQ(chmod(dir.file("late/tool").c_str(), 0644), 0);
  EXPECT_EQ(tool(), std::pair(std::optional<std::string>(), false));  // no longer executable
  ASSERT_EQ(chmod(dir.file("late/tool").c_str(), 0755), 0);
  EXPECT_EQ(tool().first, dir.file("late/tool"));
  write_file(dir.file("late/tool"), "echo no header\n");  // sh would run it as a script
  EXPECT_EQ(tool(), std::pair(std::optional<std::string>(), false));
  program(dir.file("late/other"));
  ASSERT_EQ(rename(dir.file("late/other").c_str(), dir.file("late/tool").c_str()), 0);
  EXPECT_EQ(tool(), std::pair(std::optional(dir.file("late/tool")), false));
  // The directory itself renamed away, and another put in its place.
  ASSERT_EQ(rename(dir.file("late").c_str(), dir.file("gone").c_str()), 0);
  EXPECT_EQ(tool(), std::pair(std::optional<std::string>(), false));
  ASSERT_EQ(mkdir(dir.file("late").c_str(), 0755), 0);
  program(dir.file("late/tool"));
  EXPECT_EQ(tool(), std::pair(std::optional(dir.file("late/tool")), false));
  EXPECT_TRUE(remembered("tool", dir.file("late/tool")));
}

TEST_F(Cache, RelativeEntriesAndSlashesAreNeverRemembered) {
  std::string relative = "early:" + dir.file("late");
  EXPECT_EQ(cache.find("tool", relative, ""), dir.file("late/tool"));
  EXPECT_EQ(cache.find("tool", relative, ""), dir.file("late/tool"));
  std::string empty_entry = ":" + dir.file("late");
  EXPECT_EQ(cache.find("tool", empty_entry, ""), dir.file("late/tool"));
  EXPECT_EQ(cache.find("tool", empty_entry, ""), dir.file("late/tool"));
  EXPECT_EQ(cache.find(dir.file("late/tool"), path, ""), dir.file("late/tool"));
  EXPECT_EQ(cache.find(dir.file("late/tool"), path, ""), dir.file("late/tool"));
  EXPECT_EQ(cache.hits(), 0u);
}

}  // namespace
}  // namespace parstep
