// End to end: -f manifests (SPEC 3).
#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep::test {
namespace {

TEST(ManifestRun, ArgvStepsReachTheProgramByteExact) {
  TempDir dir;
  std::string m = dir.file("m.json");
  write_file(m, R"({"output": "ordered", "steps": [
    {"argv": ["printf", "<%s>\n", "a b", "\"q\" 'q'", "$HOME", "*", "back\\slash", "\u00fcn\u00ef", "new\nline", ""]},
    {"name": "env", "shell": "echo \"$K|$TOP|$(basename \"$(pwd)\")\"", "cwd": ")" + dir.path() + R"(", "env": {"K": "step"}}
  ], "env": {"TOP": "top", "K": "top"}})");
  Result r = run_parstep({"-f", m, "--no-header", "-j2"});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  std::string base = dir.path().substr(dir.path().rfind('/') + 1);
  EXPECT_EQ(r.out, "<a b>\n<\"q\" 'q'>\n<$HOME>\n<*>\n<back\\slash>\n<\xc3\xbcn\xc3\xaf>\n<new\nline>\n<>\n"
                   "step|top|" + base + "\n");
}

TEST(ManifestRun, ReadsStdinAndTheCommandLineOverridesTheManifest) {
  Child::Options o;
  o.stdin_data = R"({"on_error": "halt", "output": "line", "steps": ["echo a; exit 1", "echo b"]})";
  Result r = run_parstep({"-f", "-", "-j1", "--on-error", "continue", "-o", "group", "--no-header"}, o);
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.out, "a\nb\n");  // continue: b ran; group: no prefixes
}

TEST(ManifestRun, AnArgvProgramThatDoesNotExistCouldNotStart) {
  Child::Options o;
  o.stdin_data = R"([{"argv": ["parstep-no-such-program", "x"]}])";
  Result r = run_parstep({"-f", "-"}, o);
  EXPECT_EQ(r.exit_code(), 1);
  EXPECT_EQ(r.err, "parstep: 1 of 1 step did not succeed:\n"
                   "  parstep-no-such-program x: could not start: parstep-no-such-program: No such file or directory\n");
}

struct BadManifest {
  std::string text;
  std::string message;  ///< after "parstep: error: <stdin>"
};

class BadManifests : public testing::TestWithParam<BadManifest> {};

TEST_P(BadManifests, AreExitTwoWithOneLineAndNothingRuns) {
  TempDir dir;
  Child::Options o;
  o.stdin_data = GetParam().text;
  Result r = run_parstep({"-f", "-"}, o);
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "parstep: error: <stdin>" + GetParam().message + "\n");
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadManifests,
    testing::Values(
        BadManifest{R"({"steps": [{"shell": "touch x", "timout": 5}]})", ":1:33: steps[0].timout: unknown key"},
        BadManifest{R"({"jobs": 1e30, "steps": ["touch x"]})", ":1:2: jobs: expected a whole number from 0 to 1000000, got 1e+30"},
        BadManifest{R"({"steps": ["touch x", {"shell": "y", "silent_timeout": -1}]})",
                    ":1:38: steps[1].silent_timeout: expected a duration greater than 0 (seconds, or a string like \"1.5m\"), got -1"},
        BadManifest{"[\"touch x\", \"\xc3\x28\"]", ":1:15: syntax error while parsing value - invalid string: ill-formed UTF-8 byte; last read: '\"\\xc3('"},
        BadManifest{"[\"touch x\",", ":1:12: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal"}));

TEST(ManifestRun, TenMegabytesAndDeepNestingAreRejectedCleanly) {
  Child::Options o;
  o.stdin_data = "{\"steps\": [\"true\"], \"env\": {\"A\": \"" + std::string(10 << 20, 'x') + "\"}, \"bad\": 1}";
  Result big = run_parstep({"-f", "-"}, o);
  EXPECT_EQ(big.exit_code(), 2);
  std::size_t column = o.stdin_data.find("\"bad\"") + 1;
  EXPECT_EQ(big.err, "parstep: error: <stdin>:1:" + std::to_string(column) + ": bad: unknown key\n");
  o.stdin_data = std::string(1000000, '[') + std::string(1000000, ']');
  Result deep = run_parstep({"-f", "-"}, o);
  EXPECT_EQ(deep.exit_code(), 2);
  EXPECT_EQ(deep.err, "parstep: error: <stdin>:1:2: [0]: expected a command string or an object, got an array\n");
}

TEST(ManifestRun, CannotBeCombinedWithCommandsAndMustExist) {
  Result r = run_parstep({"-f", "/nonexistent/m.json"});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.err, "parstep: error: /nonexistent/m.json: cannot read: No such file or directory\n");
  Result both = run_parstep({"-f", "-", "echo x"});
  EXPECT_EQ(both.exit_code(), 2);
  EXPECT_EQ(both.err, "parstep: error: -f reads the steps from a manifest: give no COMMAND with it\n");
}

}  // namespace
}  // namespace parstep::test
