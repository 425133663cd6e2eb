// End to end: --report, --log-dir, --trace, --progress and --color.
#include <fcntl.h>
#include <pty.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

using nlohmann::json;

TEST(Records, ReportLogsAndTraceDescribeTheRun) {
  TempDir dir;
  std::string logs = dir.file("logs");
  Result r = run_parstep({"-j2", "--report", dir.file("report.json"), "--log-dir", logs, "--trace",
                          dir.file("trace.json"), "echo one", "echo two; exit 3", "echo a/b", "echo a_b"});
  EXPECT_EQ(r.exit_code(), 1);

  json report = json::parse(read_file(dir.file("report.json")));
  EXPECT_EQ(report["exit_code"], 1);
  EXPECT_EQ(report["jobs"], 2);
  EXPECT_EQ(report["on_error"], "continue");
  ASSERT_EQ(report["steps"].size(), 4u);
  EXPECT_EQ(report["steps"][0]["status"], "ok");
  EXPECT_EQ(report["steps"][1]["status"], "failed");
  EXPECT_EQ(report["steps"][1]["exit_code"], 3);
  EXPECT_EQ(report["steps"][1]["output_bytes"], 4);
  EXPECT_EQ(report["steps"][1]["command"], "echo two; exit 3");
  const char* outputs[] = {"one\n", "two\n", "a/b\n", "a_b\n"};
  for (const auto& step : report["steps"]) {
    EXPECT_TRUE(step["slot"] == 1 || step["slot"] == 2) << step;
    EXPECT_EQ(read_file(step["log"].get<std::string>()), outputs[step["index"].get<int>()]);
  }
  // "echo a/b" and "echo a_b" both sanitise to echo_a_b: two files.
  EXPECT_EQ(report["steps"][2]["log"], logs + "/echo_a_b.log");
  EXPECT_EQ(report["steps"][3]["log"], logs + "/echo_a_b-2.log");

  json trace = json::parse(read_file(dir.file("trace.json")));
  int complete = 0;
  for (const auto& e : trace["traceEvents"]) {
    if (e["ph"] != "X") continue;
    ++complete;
    EXPECT_TRUE(e["tid"] == 1 || e["tid"] == 2);
    EXPECT_GE(e["dur"].get<long>(), 0);
    EXPECT_TRUE(e["args"].contains("status"));
  }
  EXPECT_EQ(complete, 4);
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    EXPECT_EQ(entry.path().string().find(".json."), std::string::npos) << "temporary file left: " << entry.path();
}

TEST(Records, TheReportIsWrittenWhenInterrupted) {
  TempDir dir;
  Fifo started(dir.file("started"));
  std::string s = unique_sleep();
  Child c = start_parstep({"--report", dir.file("r.json"), "echo > " + started.path() + "; exec sleep " + s});
  ASSERT_TRUE(started.read_line());
  kill(c.pid(), SIGINT);
  int status = c.finish();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
  json report = json::parse(read_file(dir.file("r.json")));
  EXPECT_EQ(report["exit_code"], 128 + SIGINT);
  EXPECT_EQ(report["steps"][0]["status"], "stopped");
  EXPECT_EQ(report["steps"][0]["signal"], "SIGTERM");
}

TEST(Records, NoWritingThroughSymlinksPlantedInASharedDirectory) {
  TempDir dir;
  std::string shared = dir.file("shared");
  std::filesystem::create_directory(shared);
  chmod(shared.c_str(), 01777);  // like /tmp
  std::string target = dir.file("victim");
  write_file(target, "precious\n");
  std::filesystem::create_symlink(target, shared + "/report.json");
  Result r = run_parstep({"--report", shared + "/report.json", "echo x"});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.err, "parstep: error: " + shared + "/report.json is a symlink in the shared directory " + shared +
                       " (world-writable, sticky); refusing to write through it\n");
  std::filesystem::create_directory(dir.file("elsewhere"));
  std::filesystem::create_symlink(dir.file("elsewhere"), shared + "/logs");
  Result logs = run_parstep({"--log-dir", shared + "/logs", "echo x"});
  EXPECT_EQ(logs.exit_code(), 2);
  EXPECT_NE(logs.err.find("logs is a symlink in the shared directory"), std::string::npos) << logs.err;
  // Inside a log directory a symlink is never followed.
  std::filesystem::create_directory(dir.file("mylogs"));
  std::filesystem::create_symlink(target, dir.file("mylogs") + "/echo_x.log");
  Result planted = run_parstep({"--log-dir", dir.file("mylogs"), "echo x"});
  EXPECT_EQ(planted.exit_code(), 0);
  EXPECT_EQ(planted.err, "parstep: warning: " + dir.file("mylogs") +
                             "/echo_x.log is a symlink; refusing to write the log through it\n");
  EXPECT_EQ(read_file(target), "precious\n");
}

// What a terminal shows after `bytes`: "\r" returns to column 0, "\033[K"
// clears to the end of the line, "\033[A" moves up a line, "\n" moves down
// (a new line at the bottom). Any other escape sequence is kept as text, so
// that a test sees it.
std::vector<std::string> final_screen(const std::string& bytes) {
  std::vector<std::string> lines{""};
  std::size_t row = 0, column = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string& line = lines[row];
    if (bytes.compare(i, 3, "\033[K") == 0) {
      line.resize(std::min(line.size(), column));
      i += 2;
    } else if (bytes.compare(i, 3, "\033[A") == 0) {
      row = row > 0 ? row - 1 : 0;
      i += 2;
    } else if (bytes[i] == '\r') {
      column = 0;
    } else if (bytes[i] == '\n') {
      if (++row == lines.size()) lines.emplace_back();
      column = 0;
    } else {
      if (column < line.size()) line[column] = bytes[i];
      else line.append(column - line.size(), ' ') += bytes[i];
      ++column;
    }
  }
  // Lines below the cursor that were cleared are blank rows, not output.
  while (lines.size() > row + 1 && lines.back().empty()) lines.pop_back();
  return lines;
}

TEST(Records, TheProgressLineIsErasedFromTheTerminal) {
  int master = -1, slave = -1;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  Child::Options o;
  o.stdout_fd = slave;
  o.stderr_fd = slave;
  Child c = start_parstep({"-j2", "-o", "ordered", "--no-header", "sleep 0.3; echo a", "echo b"}, o);
  close(slave);
  std::string bytes;
  char buffer[4096];
  for (ssize_t n; (n = read(master, buffer, sizeof buffer)) > 0;) bytes.append(buffer, n);  // EIO once closed
  close(master);
  c.finish();
  EXPECT_NE(bytes.find("  sleep 0.3; echo a  "), std::string::npos) << "no status view was drawn: " << bytes;
  auto screen = final_screen(bytes);
  EXPECT_EQ(screen, (std::vector<std::string>{"a", "b", ""}));
}

TEST(Records, NoProgressLineWhenStderrIsNotATerminal) {
  Result r = run_parstep({"--no-header", "echo a"});
  EXPECT_EQ(r.err, "");
  // Off a terminal, "always" means heartbeat lines, which come only after
  // a minute of silence: never a control character.
  Result always = run_parstep({"--progress", "always", "--no-header", "sleep 0.2"});
  EXPECT_EQ(always.err, "");
}

TEST(Records, ColorAsksStepsForColourOrNone) {
  std::string show = "echo \"${CLICOLOR_FORCE-unset}|${FORCE_COLOR-unset}|${CMAKE_COLOR_DIAGNOSTICS-unset}|${NO_COLOR-unset}\"";
  Child::Options inherited;
  inherited.env = {"NO_COLOR=1", "CLICOLOR_FORCE=1", "FORCE_COLOR=3"};
  EXPECT_EQ(run_parstep({"--no-header", "--color", "always", show}).out, "1|1|unset|unset\n");
  EXPECT_EQ(run_parstep({"--no-header", "--color", "always", show}, inherited).out, "1|1|unset|unset\n");
  EXPECT_EQ(run_parstep({"--no-header", "--color", "never", show}).out, "unset|unset|unset|1\n");
  EXPECT_EQ(run_parstep({"--no-header", "--color", "never", show}, inherited).out, "unset|unset|unset|1\n");
  EXPECT_EQ(run_parstep({"--no-header", show}).out, "unset|unset|unset|1\n");  // auto, stdout a pipe
  Child::Options forced;
  forced.env = {"CLICOLOR_FORCE=1"};  // auto: forced although stdout is a pipe
  EXPECT_EQ(run_parstep({"--no-header", show}, forced).out, "1|1|unset|unset\n");
}

}  // namespace
}  // namespace parstep::test
