"""Parses a JUnit file with xml.etree and prints, one line per testcase,
name|verdict|message|len(system-out)|system-out (repr) -- for parstep's e2e tests."""
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
suite = root.find("testsuite")
print("suite|%s|%s|%s|%s|%s" % (suite.get("tests"), suite.get("failures"), suite.get("errors"),
                                suite.get("skipped"), suite.get("name")))
for case in suite.findall("testcase"):
    verdict = next((v for v in ("failure", "error", "skipped") if case.find(v) is not None), "ok")
    message = case.find(verdict).get("message") if verdict != "ok" else ""
    out = case.find("system-out")
    text = (out.text or "") if out is not None else None
    shown = "none" if text is None else ascii(text if len(text) < 200 else text[:40] + "..." + text[-40:])
    print("%s|%s|%s|%s|%s" % (case.get("name"), verdict, message, -1 if text is None else len(text), shown))
