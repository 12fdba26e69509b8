#include "sim/io/output_path.hpp"

#include <unistd.h>

#include <system_error>

namespace cdpsim::io {

namespace fs = std::filesystem;

void check_output_path(const fs::path& path, bool force) {
  std::error_code ec;
  if (path.empty()) throw OutputError("output path is empty (allowed: a file path such as out.h5)");
  const fs::file_status link = fs::symlink_status(path, ec);
  const fs::file_status st = fs::status(path, ec);
  if (fs::is_symlink(link) && !fs::exists(st))
    throw OutputError(path.string() +
                      ": is a symbolic link to a missing file (allowed: a regular file or a new "
                      "name)");
  if (fs::is_directory(st))
    throw OutputError(path.string() + ": is a folder (allowed: a file path such as out.h5)");
  if (fs::exists(st) && !fs::is_regular_file(st))
    throw OutputError(path.string() +
                      ": is not a regular file (a device, FIFO or socket; allowed: a regular "
                      "file or a new name)");
  if (fs::exists(st) && !force)
    throw OutputError(path.string() +
                      ": already exists (use --force to replace it, or choose another -o)");
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec))
    throw OutputError(path.string() + ": folder " + dir.string() + " does not exist");
  if (::access(dir.c_str(), W_OK) != 0)
    throw OutputError(path.string() + ": folder " + dir.string() + " is not writable");
}

}  // namespace cdpsim::io
