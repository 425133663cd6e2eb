// End to end: --junit files, parsed with Python's xml.etree and validated
// against tests/junit.xsd with xmllint, for runs with every step status.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

struct Tool {
  int status;
  std::string out;
};

Tool shell(const std::string& command) {
  Child c({"/bin/sh", "-c", command}, {});
  int status = c.finish(std::chrono::minutes(5));
  return {status, c.out + c.err};
}

bool have(const std::string& program) { return shell("command -v " + program).status == 0; }

#define REQUIRE_TOOLS()                                                                                   \
  if (!have("python3") || !have("xmllint"))                                                               \
  GTEST_SKIP() << "needs python3 and xmllint (libxml2-utils; scripts/setup.sh installs them)"

// What xml.etree reads from the file (see junit_check.py).
std::string parsed(const std::string& path) {
  Tool t = shell(std::string("python3 ") + JUNIT_CHECK + " " + path);
  EXPECT_EQ(t.status, 0) << t.out;
  return t.out;
}

void expect_valid(const std::string& path) {
  Tool t = shell(std::string("xmllint --noout --schema ") + JUNIT_XSD + " " + path);
  EXPECT_EQ(t.status, 0) << t.out;
  EXPECT_EQ(t.out, path + " validates\n");
}

Child::Options with_stdin(std::string data) {
  Child::Options o;
  o.stdin_data = std::move(data);
  return o;
}

TEST(JunitFile, EveryFinishingStatusParsesAndValidates) {
  REQUIRE_TOOLS();
  TempDir dir;
  std::string file = dir.file("junit.xml");
  std::string manifest = R"({"steps": [
    {"name": "nasty <&\"name\">", "shell": "printf 'a]]>b\\001\\033[31mred\\033[0m\\377\\376 caf\\303\\251\\r\\n'"},
    {"name": "fails", "shell": "echo why; exit 3"},
    {"name": "slow", "shell": "echo started; exec sleep 60", "timeout": 0.2},
    {"name": "silent", "shell": "echo once; exec sleep 60", "silent_timeout": 0.2},
    {"name": "nowhere", "shell": "true", "cwd": "/nonexistent/dir"}
  ]})";
  Result r = run_parstep({"-j5", "--junit", file, "-f", "-"}, with_stdin(manifest));
  EXPECT_EQ(r.exit_code(), 1);
  expect_valid(file);
  EXPECT_EQ(parsed(file),
            "suite|5|3|1|0|parstep\n"
            "nasty <&\"name\">|ok||27|'a]]>b\\ufffd\\ufffd[31mred\\ufffd[0m\\ufffd\\ufffd caf\\xe9\\r\\n'\n"
            "fails|failure|exit 3|4|'why\\n'\n"
            "slow|failure|timed out after 0.2s|8|'started\\n'\n"
            "silent|failure|hung: no output for 0.2s|5|'once\\n'\n"
            "nowhere|error|could not start: /bin/sh in /nonexistent/dir: No such file or directory|0|''\n");
}

TEST(JunitFile, HaltedAndNeverStartedStepsAreSkipped) {
  REQUIRE_TOOLS();
  TempDir dir;
  std::string file = dir.file("junit.xml");
  Fifo started(dir.file("started"));
  Result r = run_parstep({"-j2", "-x", "--junit", file, "echo > " + started.path() + "; exec sleep 60",
                          "read x < " + started.path() + "; exit 1", "echo never"});
  EXPECT_EQ(r.exit_code(), 1);
  expect_valid(file);
  std::string text = parsed(file);
  EXPECT_NE(text.find("suite|3|1|0|2|parstep\n"), std::string::npos) << text;
  EXPECT_NE(text.find("|skipped|stopped|"), std::string::npos) << text;
  EXPECT_NE(text.find("echo never|skipped|not started|-1|none\n"), std::string::npos) << text;
}

TEST(JunitFile, WrittenWhenInterrupted) {
  REQUIRE_TOOLS();
  TempDir dir;
  std::string file = dir.file("junit.xml");
  Fifo started(dir.file("started"));
  // "partial" is in the pipe before the test hears "started" and interrupts.
  Child c = start_parstep({"--junit", file, "echo partial; echo > " + started.path() + "; exec sleep 60"});
  ASSERT_TRUE(started.read_line());
  kill(c.pid(), SIGINT);
  int status = c.finish();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
  expect_valid(file);
  std::string text = parsed(file);
  EXPECT_NE(text.find("suite|1|0|0|1|parstep\n"), std::string::npos) << text;
  EXPECT_NE(text.find("|skipped|stopped|8|'partial\\n'\n"), std::string::npos) << text;
}

TEST(JunitFile, AGigabyteOfOutputKeepsTheLastMebibyte) {
  REQUIRE_TOOLS();
  TempDir dir;
  std::string file = dir.file("junit.xml");
  Child::Options o;
  o.stdout_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  Result r = run_parstep({"--junit", file, "yes 0123456789abcdef | head -c 1073741824; echo end"}, o);
  close(o.stdout_fd);
  EXPECT_EQ(r.exit_code(), 0);
  expect_valid(file);
  std::string text = parsed(file);
  // 1 GiB + 4 bytes written; the file holds the last 1 MiB of them.
  EXPECT_NE(text.find("|ok||1048576|'123456789abcdef\\n0123456789abcdef\\n0123456...bcdef\\n0123456789abcdef\\n0123456789abcend\\n'\n"),
            std::string::npos) << text;
}

}  // namespace
}  // namespace parstep::test
