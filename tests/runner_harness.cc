#include "runner_harness.h"

#include <sys/mman.h>
#include <unistd.h>

#include "fd.h"
#include "runner.h"

namespace parstep::testing {
namespace {

Fd memory_file(const char* name) {
  int fd = memfd_create(name, MFD_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "memfd_create");
  return Fd(fd);
}

std::string contents(int fd) {
  std::string text;
  char buffer[4096];
  for (off_t at = 0;;) {
    ssize_t n = pread(fd, buffer, sizeof buffer, at);
    if (n <= 0) return text;
    text.append(buffer, static_cast<std::size_t>(n));
    at += n;
  }
}

}  // namespace

RunnerTest::RunnerTest() { opt.jobs = 2; }

StepSpec& RunnerTest::add(const std::string& name) {
  StepSpec spec;
  spec.name = name;
  spec.command = "step " + name;
  steps.push_back(spec);
  return steps.back();
}

FakeRun RunnerTest::run() {
  Fd out = memory_file("stdout"), err = memory_file("stderr");
  FakeRun r;
  r.outcome = Runner(os, steps, nullptr, opt, out.get(), err.get()).run();
  r.out = contents(out.get());
  r.err = contents(err.get());
  return r;
}

}  // namespace parstep::testing
