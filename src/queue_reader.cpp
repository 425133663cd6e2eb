#include "queue_reader.h"

#include <unistd.h>

#include <cerrno>

#include "fd.h"

namespace parstep {

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

void QueueReader::add(std::string command, std::vector<StepSpec>& steps) {
  if (!command.empty() && command.back() == '\r') command.pop_back();
  if (command.find_first_not_of(" \t") == std::string::npos) return;
  StepSpec spec = prototype_;
  spec.name = namer_.add_default(command);
  spec.command = std::move(command);
  steps.push_back(std::move(spec));
}

}  // namespace parstep
