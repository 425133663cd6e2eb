#include "queue_reader.h"

#include <unistd.h>

#include <cerrno>

#include "fd.h"
#include "json_position.h"
#include "manifest.h"

namespace parstep {

bool QueueReader::may_retry() const {
  if (format_ == QueueFormat::lines || command_line_.retries) return prototype_.retries > 0;
  return true;
}

std::vector<StepSpec> QueueReader::read() {
  std::vector<StepSpec> steps;
  char buffer[65536];
  ssize_t n = ::read(fd_, buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return steps;
  if (n < 0) throw_errno("read steps from stdin");
  if (n == 0) {
    at_end_ = true;
    add(std::move(partial_), steps);
    return steps;
  }
  partial_.append(buffer, n);
  std::size_t begin = 0;
  for (std::size_t nl; (nl = partial_.find('\n', begin)) != std::string::npos; begin = nl + 1)
    add(partial_.substr(begin, nl - begin), steps);
  partial_.erase(0, begin);
  return steps;
}

void QueueReader::add(std::string line, std::vector<StepSpec>& steps) {
  ++line_number_;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.find_first_not_of(" \t") == std::string::npos) return;
  if (format_ == QueueFormat::json) {
    steps.push_back(json_step(line));
    return;
  }
  StepSpec spec = prototype_;
  spec.name = namer_.add_default(line);
  spec.command = std::move(line);
  steps.push_back(std::move(spec));
}

// A bad line still becomes a step, named by its text, that fails to start
// with the manifest's message: the run goes on (SPEC 3, JSON queue).
StepSpec QueueReader::json_step(const std::string& line) {
  const std::string file = "<stdin>";
  StepSpec spec;
  try {
    ManifestStep parsed = parse_step(line, file, line_number_);
    if (parsed.named && !namer_.add_explicit(parsed.spec.name)) {
      auto column = position_of(line, find_json_path(line, {std::string("name")}).value_or(0)).column;
      throw ManifestError(file + ":" + std::to_string(line_number_) + ":" + std::to_string(column) + ": name: \"" +
                          parsed.spec.name + "\" is also the name of an earlier step");
    }
    spec = std::move(parsed.spec);
    if (!parsed.named) spec.name = namer_.add_default(spec.name);
    apply_step_settings(spec, overlay(command_line_, parsed.settings));
  } catch (const ManifestError& e) {
    spec = prototype_;
    spec.name = namer_.add_default(line);
    spec.command = line;
    spec.start_error = e.what();
  }
  return spec;
}

}  // namespace parstep
