#include "sim/io/atomic_file.hpp"

#include <unistd.h>

#include <string>
#include <system_error>

namespace cdpsim::io {

namespace fs = std::filesystem;

fs::path temporary_path(const fs::path& target) {
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string name = target.filename().string();
  name.insert(name.begin(), '.');
  name += ".tmp-" + std::to_string(::getpid());
  return dir / name;
}

void write_atomically(const fs::path& target, const std::function<void(const fs::path&)>& write) {
  const fs::path tmp = temporary_path(target);
  try {
    write(tmp);
    fs::rename(tmp, target);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
}

}  // namespace cdpsim::io
