#include "output_paths.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "safe_path.h"
#include "usage_error.h"

namespace parstep {
namespace {

// The directory `path` goes in, when it is not a writable directory.
std::optional<std::string> unwritable_directory_of(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (std::filesystem::is_directory(dir) && access(dir.c_str(), W_OK) == 0) return std::nullopt;
  return dir.string();
}

void check_log_dir(const std::string& log_dir) {
  std::error_code error;
  std::filesystem::create_directories(log_dir, error);
  if (error || access(log_dir.c_str(), W_OK) != 0)
    throw UsageError("--log-dir: cannot use " + log_dir + ": " + (error ? error.message() : std::strerror(errno)));
  if (auto why = unsafe_log_dir(log_dir)) throw UsageError(*why);
}

}  // namespace

void check_output_paths(const RunOptions& run) {
  for (const std::string* path : {&run.report_path, &run.trace_path, &run.junit_path, &run.log_dir}) {
    if (auto why = path->empty() ? std::nullopt : unsafe_output_path(*path)) throw UsageError(*why);
  }
  for (const std::string* path : {&run.report_path, &run.trace_path, &run.junit_path}) {
    if (path->empty()) continue;
    if (auto dir = unwritable_directory_of(*path))
      throw UsageError(*path + ": cannot write there: " + *dir + " is not a writable directory");
  }
  if (!run.log_dir.empty()) check_log_dir(run.log_dir);
}

void check_writable_directory(const std::string& option, const std::string& path) {
  if (auto why = unsafe_output_path(path)) throw UsageError(*why);
  if (auto dir = unwritable_directory_of(path))
    throw UsageError(option + ": cannot use " + path + ": " + *dir + " is not a writable directory");
}

}  // namespace parstep
