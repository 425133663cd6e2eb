#include "safe_path.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace parstep {

bool is_shared_directory(const std::string& dir) {
  struct stat st;
  if (stat(dir.empty() ? "." : dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
  return (st.st_mode & S_ISVTX) && (st.st_mode & S_IWOTH);
}

std::optional<std::string> unsafe_output_path(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return std::nullopt;
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (!is_shared_directory(dir)) return std::nullopt;
  return path + " is a symlink in the shared directory " + (dir.empty() ? "." : dir) +
         " (world-writable, sticky); refusing to write through it";
}

}  // namespace parstep

namespace parstep {

std::optional<std::string> unsafe_log_dir(const std::string& dir) {
  struct stat st;
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return std::nullopt;  // creating it will say why
  if (st.st_uid != geteuid() && st.st_uid != 0)
    return "--log-dir: " + dir + " belongs to another user (uid " + std::to_string(st.st_uid) +
           "); refusing to keep logs there";
  if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
    return "--log-dir: " + dir + " is world-writable without the sticky bit; refusing to keep logs there";
  return std::nullopt;
}

}  // namespace parstep
