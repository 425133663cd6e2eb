#include "manifest.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace parstep {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_manifest(text, "m.json");
  } catch (const ManifestError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Manifest, ReadsEveryKindOfStepAndTheTopLevel) {
  Manifest m = parse_manifest(R"({
    "jobs": 4, "on_error": "halt", "output": "ordered", "timeout": 600, "silent_timeout": 300,
    "retries": 1, "cwd": "top", "env": {"A": "1"}, "pty": true,
    "steps": [
      "echo a shell step",
      {"name": "protos", "argv": ["protoc", "--cpp_out=gen", "a.proto"]},
      {"name": "lint", "shell": "clang-tidy src/*.cpp", "cwd": "src", "env": {"K": "V"},
       "timeout": 60, "retries": 2}
    ]})", "m.json");
  EXPECT_EQ(m.settings.jobs, 4u);
  EXPECT_EQ(m.settings.on_error, OnError::halt);
  EXPECT_EQ(m.settings.output, OutputMode::ordered);
  EXPECT_TRUE(m.pty);
  EXPECT_FALSE(parse_manifest(R"(["a"])", "m.json").pty);
  ASSERT_EQ(m.steps.size(), 3u);
  EXPECT_EQ(m.steps[0].name, "echo a shell step");
  EXPECT_EQ(m.steps[1].argv, (std::vector<std::string>{"protoc", "--cpp_out=gen", "a.proto"}));
  EXPECT_EQ(m.steps[2].command, "clang-tidy src/*.cpp");

  Settings cli;
  cli.retries = 5;
  auto steps = m.resolve(cli);
  EXPECT_EQ(steps[0].cwd, "top");
  EXPECT_EQ(steps[0].timeout, std::chrono::milliseconds(600000));
  EXPECT_EQ(steps[2].timeout, std::chrono::milliseconds(60000));   // step over top level
  EXPECT_EQ(steps[0].silent_timeout, std::chrono::milliseconds(300000));
  EXPECT_EQ(steps[2].retries, 5u);                                   // command line over both
  EXPECT_EQ(steps[2].cwd, "src");
  EXPECT_EQ(steps[2].env, (std::vector<std::pair<std::string, std::string>>{{"A", "1"}, {"K", "V"}}));
}

TEST(Manifest, ABareArrayIsTheStepList) {
  Manifest m = parse_manifest(R"(["a", {"argv": ["b", "c d"]}, {"argv": ["b", "c d"]}])", "m.json");
  ASSERT_EQ(m.steps.size(), 3u);
  EXPECT_EQ(m.steps[1].name, "b c d");  // argv joined by spaces
  EXPECT_EQ(m.steps[2].name, "b c d #2");
}

TEST(Manifest, ArgvIsKeptByteExact) {
  Manifest m = parse_manifest(R"([{"argv": ["printf", "a b", "\"q\"", "$HOME", "*", "back\\slash", "\u00fcn\u00ef", "new\nline", ""]}])", "m.json");
  EXPECT_EQ(m.steps[0].argv, (std::vector<std::string>{"printf", "a b", "\"q\"", "$HOME", "*", "back\\slash",
                                                        "\xc3\xbcn\xc3\xaf", "new\nline", ""}));
}

// The CMake module's hand-over of generator-expression results: the bytes
// of a file, with nothing escaped.
TEST(Manifest, AnArgumentOrCwdMayBeTheBytesOfAFile) {
  using test::TempDir;
  using test::write_file;
  TempDir dir;
  write_file(dir.file("a"), "q\"u\\o\\");
  write_file(dir.file("empty"), "");
  write_file(dir.file("cwd"), dir.path());
  std::string text = R"([{"argv": ["gen", {"file": ")" + dir.file("a") + R"("}, {"file": ")" + dir.file("empty") +
                     R"("}], "cwd": {"file": ")" + dir.file("cwd") + R"("}}])";
  Manifest m = parse_manifest(text, "m.json");
  EXPECT_EQ(m.steps[0].argv, (std::vector<std::string>{"gen", "q\"u\\o\\", ""}));
  EXPECT_EQ(m.steps[0].cwd, dir.path());
  EXPECT_EQ(error_of(R"([{"argv": ["a", {"file": "/nonexistent/x"}]}])"),
            "m.json:1:18: [0].argv[1].file: cannot read /nonexistent/x: No such file or directory");
  EXPECT_EQ(error_of(R"([{"argv": ["a", {"path": "x"}]}])"), "m.json:1:18: [0].argv[1].path: unknown key");
  EXPECT_EQ(error_of(R"([{"argv": ["a", {}]}])"), "m.json:1:17: [0].argv[1]: expected a string or {\"file\": PATH}");
  EXPECT_EQ(error_of(R"([{"argv": ["a", {"file": "/dev/null"}]}])"), "m.json:1:18: [0].argv[1].file: /dev/null is not a regular file");
}

TEST(Manifest, MalformedJsonIsFileLineColumn) {
  EXPECT_EQ(error_of("{\n  \"steps\": [\n    \"a\",\n  ]\n}"),
            "m.json:4:3: syntax error while parsing value - unexpected ']'; expected '[', '{', or a literal");
  EXPECT_EQ(error_of(""), "m.json:1:1: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal");
  EXPECT_EQ(error_of("[\"\xff\"]"),
            "m.json:1:3: syntax error while parsing value - invalid string: ill-formed UTF-8 byte; last read: '\"\\xff'");
}

TEST(Manifest, EachErrorNamesItsKeyPathAndPlace) {
  EXPECT_EQ(error_of("{\"steps\": [\"a\", \"b\",\n  {\"shell\": \"x\", \"timout\": 5}]}"),
            "m.json:2:18: steps[2].timout: unknown key");
  EXPECT_EQ(error_of(R"({"jobs": 1e30, "steps": []})"),
            "m.json:1:2: jobs: expected a whole number from 0 to 1000000, got 1e+30");
  EXPECT_EQ(error_of(R"({"jobs": -1, "steps": []})"),
            "m.json:1:2: jobs: expected a whole number from 0 to 1000000, got -1");
  EXPECT_EQ(error_of(R"({"jobs": "4", "steps": []})"),
            "m.json:1:2: jobs: expected a whole number from 0 to 1000000, got \"4\"");
  EXPECT_EQ(error_of(R"([{"shell": "x", "timeout": -5}])"),
            "m.json:1:17: [0].timeout: expected a duration greater than 0 (seconds, or a string like \"1.5m\"), got -5");
  EXPECT_EQ(error_of(R"({"steps": [{"argv": []}]})"), "m.json:1:13: steps[0].argv: expected a non-empty array of strings");
  EXPECT_EQ(error_of(R"({"steps": [{"argv": ["a", 1]}]})"), "m.json:1:27: steps[0].argv[1]: expected a string, got a number");
  EXPECT_EQ(error_of(R"({"steps": [{"argv": ["a"], "shell": "b"}]})"),
            "m.json:1:12: steps[0]: needs exactly one of \"argv\" and \"shell\"");
  EXPECT_EQ(error_of(R"({"steps": [{"name": "x"}]})"), "m.json:1:12: steps[0]: needs exactly one of \"argv\" and \"shell\"");
  EXPECT_EQ(error_of(R"({"steps": [" "]})"), "m.json:1:12: steps[0]: empty command");
  EXPECT_EQ(error_of(R"({"steps": [true]})"), "m.json:1:12: steps[0]: expected a command string or an object, got a boolean");
  EXPECT_EQ(error_of(R"({"steps": "x"})"), "m.json:1:2: steps: expected an array of steps, got a string");
  EXPECT_EQ(error_of(R"({"jobs": 2})"), "m.json:1:1: missing key \"steps\"");
  EXPECT_EQ(error_of(R"({"on_error": "stop", "steps": []})"),
            "m.json:1:2: on_error: expected continue, finish or halt, got \"stop\"");
  EXPECT_EQ(error_of(R"({"env": {"A=B": "x"}, "steps": []})"), "m.json:1:10: env.A=B: not a valid environment variable name");
  EXPECT_EQ(error_of(R"({"steps": ["a"], "pty": "yes"})"), "m.json:1:18: pty: expected true or false, got a string");
  EXPECT_EQ(error_of(R"({"steps": ["a"], "retries": 1.5})"),
            "m.json:1:18: retries: expected a whole number from 0 to 1000, got 1.5");
}

TEST(Manifest, ALauncherComesFromTheStepTheTopLevelOrTheCommandLine) {
  Manifest m = parse_manifest(R"({"launcher": ["srun", "--quiet", "--"], "steps": [
    "a", {"shell": "b", "launcher": []}, {"argv": ["c"], "launcher": ["ssh", "h"]}]})", "m.json");
  auto steps = m.resolve({});
  EXPECT_EQ(steps[0].launcher, (std::vector<std::string>{"srun", "--quiet", "--"}));
  EXPECT_EQ(steps[1].launcher, std::vector<std::string>{});  // [] runs it locally
  EXPECT_EQ(steps[2].launcher, (std::vector<std::string>{"ssh", "h"}));
  Settings cli;
  cli.launcher = {"env"};
  for (const auto& step : m.resolve(cli)) EXPECT_EQ(step.launcher, std::vector<std::string>{"env"});
  EXPECT_EQ(parse_manifest(R"(["a"])", "m.json").resolve({})[0].launcher, std::vector<std::string>{});
}

TEST(Manifest, ALauncherMustBeAnArrayOfStringsWithAProgram) {
  EXPECT_EQ(error_of(R"({"launcher": "srun --quiet", "steps": ["a"]})"),
            "m.json:1:2: launcher: expected an array of strings, got a string");
  EXPECT_EQ(error_of("{\"steps\": [\"a\",\n  {\"shell\": \"b\", \"launcher\": [\"srun\", 4]}]}"),
            "m.json:2:39: steps[1].launcher[1]: expected a string, got a number");
  EXPECT_EQ(error_of(R"([{"argv": ["a"], "launcher": ["", "x"]}])"), "m.json:1:18: [0].launcher: the program name is empty");
  EXPECT_EQ(error_of(R"([{"argv": ["a"], "launcher": {}}])"),
            "m.json:1:18: [0].launcher: expected an array of strings, got an object");
}

TEST(Manifest, ANumberBeyondADoubleIsAnErrorNotACrash) {
  // Found by the fuzzer: nlohmann reports this as out_of_range, not parse_error.
  EXPECT_EQ(error_of(R"({"jobs": 1e400, "steps": []})"), "m.json: number overflow parsing '1e400'");
  EXPECT_EQ(error_of(R"(["a", {"shell": "b", "timeout": -1e999}])"), "m.json: number overflow parsing '-1e999'");
}

TEST(Manifest, MessagesStayOneLineWhateverTheKeysAndNamesHold) {
  // Found by the fuzzer: an unknown key with an escaped newline.
  EXPECT_EQ(error_of("{\"steps\": [], \"a\\nb\\u0007\": 1}"), "m.json:1:15: a\\x0ab\\x07: unknown key");
  EXPECT_EQ(error_of(R"([{"name": "x\ny", "shell": "a"}, {"name": "x\ny", "shell": "b"}])"),
            "m.json:1:35: [1].name: \"x\\x0ay\" is also the name of steps[0]");
  EXPECT_EQ(error_of(R"({"steps": [], "\u00fcn": 1})"), "m.json:1:15: \xc3\xbcn: unknown key");
}

TEST(Manifest, AnExplicitNameMustDifferFromEveryOtherName) {
  EXPECT_EQ(error_of(R"([{"name": "a", "shell": "x"}, {"name": "a", "shell": "y"}])"),
            "m.json:1:32: [1].name: \"a\" is also the name of steps[0]");
  EXPECT_EQ(error_of(R"(["make", {"name": "make", "shell": "y"}])"),
            "m.json:1:11: [1].name: \"make\" is also the name of steps[0]");
  EXPECT_EQ(error_of(R"([{"name": "", "shell": "y"}])"), "m.json:1:3: [0].name: must not be empty");
}

TEST(Manifest, DeepNestingAndHugeInputsAreErrorsNotCrashes) {
  std::string deep = "{\"steps\": [" + std::string(200000, '[') + std::string(200000, ']') + "]}";
  EXPECT_EQ(error_of(deep), "m.json:1:12: steps[0]: expected a command string or an object, got an array");
  std::string env = "{\"steps\": [], \"env\": " + std::string(50000, '[') + std::string(50000, ']') + "}";
  EXPECT_EQ(error_of(env), "m.json:1:15: env: expected an object of strings, got an array");
}

}  // namespace
}  // namespace parstep
