// Every command-line option of parstep, once. To add an option: add a row
// here (in its group; a choice's names go in src/vocabulary.h), read it in
// cli.cpp's apply(), and document it in doc/parstep.1.scd and README.md;
// --help and the bash, zsh and fish completions follow from this row, and
// tests/docs check the man page.
#include "option_table.h"

#include "vocabulary.h"

namespace parstep {
namespace {

using enum OptionGroup;
using enum ValueKind;

constexpr OptionSpec kOptions[] = {
    {running, "j", "jobs", "N", text, "",
     "run at most N steps at once; 0 = no limit; N% = that share of the CPUs, at least 1 (default: the CPU "
     "count, here {cpus})"},
    {running, "f", "file", "MANIFEST", file, "", "read the steps from a JSON manifest ('-': stdin)"},
    {running, "", "on-error", "MODE", choice, kOnErrorNames.names,
     "after a failure: continue (default), finish (start nothing new) or halt (stop every step now)"},
    {running, "x", "halt-on-error", "", none, "", "same as --on-error halt"},
    {running, "", "schedule", "ORDER", choice, kScheduleNames.names,
     "start order: given, or longest (failed last time, unknown, then longest; default with a history)"},
    {running, "", "rerun-failed", "", none, "", "run only the steps whose last result in the history was not ok"},
    {running, "", "queue-format", "FORMAT", choice, kQueueFormatNames.names,
     "queue mode reads stdin as lines (a shell command each, the default) or json (a manifest step each)"},
    {running, "", "launcher", "CMD", program, "",
     "run every step through this command prefix, e.g. 'srun --quiet --ntasks=1 --'"},
    {running, "", "shell", "PATH", program, "", "shell for shell steps (default: /bin/sh)"},
    {running, "n", "dry-run", "", none, "", "print the steps that would run, run nothing"},

    {output, "o", "output", "MODE", choice, kOutputNames.names,
     "group (default: each block when its step ends), ordered (blocks in the given order) or line "
     "(prefixed lines as they are written)"},
    {output, "", "output-on-failure", "", none, "", "print the output only of steps that did not succeed"},
    {output, "", "no-header", "", none, "", "print only the steps' own bytes: no headers, nothing added"},

    {limits, "", "timeout", "DUR", text, "",
     "stop a step running longer than DUR (90, 1.5m, 500ms, 2h); it fails (timed out)"},
    {limits, "", "silent-timeout", "DUR", text, "",
     "a step silent for DUR is hung: report its processes and stop it"},
    {limits, "", "kill-after", "DUR", text, "",
     "grace between SIGTERM and SIGKILL when stopping a step (default: 5s)"},
    {limits, "", "retries", "N", text, "", "rerun a step that failed, timed out or hung up to N more times"},

    {records, "", "report", "PATH", file, "", "write a JSON report of the run to PATH"},
    {records, "", "log-dir", "DIR", directory, "", "also write each step's whole output to DIR/NAME.log"},
    {records, "", "history", "PATH", file, "",
     "remember each step's duration and result in PATH, and start the longest first"},
    {records, "", "trace", "PATH", file, "", "write a Chrome trace of the run (for Perfetto) to PATH"},
    {records, "", "junit", "PATH", file, "", "write a JUnit XML report of the run to PATH"},

    {jobserver, "", "jobserver", "", none, "", "serve a GNU make jobserver of -j slots to the steps"},
    {jobserver, "", "jobserver-style", "STYLE", choice, kJobserverStyleNames.names,
     "how the served jobserver is announced: auto (default), fifo (make >= 4.4, ninja) or pipe (make <= 4.3)"},

    {terminal, "", "ci", "PLATFORM", choice, kCiNames.names,
     "fold blocks and annotate failures in a CI log: auto (default: from GITHUB_ACTIONS/GITLAB_CI), github, "
     "gitlab or none"},
    {terminal, "", "progress", "WHEN", choice, kWhenNames.names,
     "live status on a terminal, heartbeat lines elsewhere: auto (default: on a terminal, or in CI), always or "
     "never"},
    {terminal, "", "color", "WHEN", choice, kWhenNames.names,
     "colour parstep's output and ask steps for colour: auto (default: stdout a terminal, no NO_COLOR), always or "
     "never"},
    {terminal, "", "pty", "", none, "",
     "give each running step a pseudo-terminal as stdout and stderr, so that tools which only check isatty "
     "colour and line-buffer as on a console"},

    {information, "h", "help", "", none, "", "print this help and exit"},
    {information, "", "version", "", none, "", "print the version and exit"},
};

}  // namespace

std::span<const OptionSpec> option_table() { return kOptions; }

std::string_view group_title(OptionGroup group) {
  switch (group) {
    case running: return "Running";
    case output: return "Output";
    case limits: return "Limits";
    case records: return "Records";
    case jobserver: return "Jobserver";
    case terminal: return "Terminal";
    case information: return "Information";
  }
  return "";
}

}  // namespace parstep
