#include "sim/io/output_path.hpp"

#include <unistd.h>

#include <system_error>

namespace cdpsim::io {

namespace fs = std::filesystem;

void check_output_path(const fs::path& path, bool force) {
  std::error_code ec;
  if (path.empty()) throw OutputError("output path is empty");
  if (fs::is_directory(path, ec))
    throw OutputError(path.string() + ": is a folder (allowed: a file path such as out.h5)");
  if (fs::exists(path, ec) && !force)
    throw OutputError(path.string() +
                      ": already exists (use --force to replace it, or choose another -o)");
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec))
    throw OutputError(path.string() + ": folder " + dir.string() + " does not exist");
  if (::access(dir.c_str(), W_OK) != 0)
    throw OutputError(path.string() + ": folder " + dir.string() + " is not writable");
}

}  // namespace cdpsim::io
