// JUnit XML: escaping and structure (the e2e tests parse and validate it).
#include "junit.h"

#include <gtest/gtest.h>

namespace parstep {
namespace {

TEST(Junit, EscapesMarkupAndReplacesWhatXmlCannotHold) {
  EXPECT_EQ(xml_escape("a<b>&\"c\"", false), "a&lt;b&gt;&amp;&quot;c&quot;");
  EXPECT_EQ(xml_escape("]]>", false), "]]&gt;");
  EXPECT_EQ(xml_escape("x\ty\nz\r", false), "x\ty\nz&#13;");
  EXPECT_EQ(xml_escape("x\ty\nz\r", true), "x&#9;y&#10;z&#13;");
  EXPECT_EQ(xml_escape(std::string("\0\x1b[31m", 6), false), "\xEF\xBF\xBD\xEF\xBF\xBD[31m");
  EXPECT_EQ(xml_escape("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", false), "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
  EXPECT_EQ(xml_escape("\xFF\xC3", false), "\xEF\xBF\xBD\xEF\xBF\xBD");          // bad lead, cut short
  EXPECT_EQ(xml_escape("\xC0\xAF", false), "\xEF\xBF\xBD\xEF\xBF\xBD");          // overlong
  EXPECT_EQ(xml_escape("\xED\xA0\x80", false), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(xml_escape("\xEF\xBF\xBE", false), "\xEF\xBF\xBD");                  // U+FFFE
}

TEST(Junit, OneTestcasePerStepWithItsVerdict) {
  std::vector<StepSpec> steps(4);
  std::vector<StepResult> results(4);
  const char* names[] = {"good", "bad", "broken", "later"};
  for (int i = 0; i < 4; ++i) steps[i].name = names[i];
  results[0].status = StepStatus::ok;
  results[0].attempts = 1;
  results[0].duration = std::chrono::milliseconds(1250);
  results[1].status = StepStatus::failed;
  results[1].attempts = 1;
  results[1].exit = ExitStatus::from_wait(2 << 8);
  results[2].status = StepStatus::error;
  results[2].attempts = 1;
  results[2].error = "could not start: /x: No such file";
  std::vector<std::string> tails{"", "oops", "", ""};
  JunitInput in;
  in.started_at = std::chrono::system_clock::from_time_t(1700000000);
  in.duration = std::chrono::seconds(2);
  in.steps = &steps;
  in.results = &results;
  in.tails = &tails;
  in.output = [](std::size_t i) { return "out " + std::to_string(i) + "\n"; };
  EXPECT_EQ(junit_xml(in),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuites name=\"parstep\" tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\" time=\"2.000\">\n"
            "  <testsuite name=\"parstep\" tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\" time=\"2.000\" "
            "timestamp=\"2023-11-14T22:13:20\">\n"
            "    <testcase name=\"good\" classname=\"parstep\" time=\"1.250\">\n"
            "      <system-out>out 0\n</system-out>\n"
            "    </testcase>\n"
            "    <testcase name=\"bad\" classname=\"parstep\" time=\"0.000\">\n"
            "      <failure message=\"exit 2\" type=\"failed\">oops</failure>\n"
            "      <system-out>out 1\n</system-out>\n"
            "    </testcase>\n"
            "    <testcase name=\"broken\" classname=\"parstep\" time=\"0.000\">\n"
            "      <error message=\"could not start: /x: No such file\"/>\n"
            "      <system-out>out 2\n</system-out>\n"
            "    </testcase>\n"
            "    <testcase name=\"later\" classname=\"parstep\" time=\"0.000\">\n"
            "      <skipped message=\"not started\"/>\n"
            "    </testcase>\n"
            "  </testsuite>\n"
            "</testsuites>\n");
}

}  // namespace
}  // namespace parstep
