#include "sim/memory.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace cdpsim {

void tune_allocator() {
#if defined(M_MMAP_THRESHOLD)
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
}

std::uint64_t memory_limit_bytes() {
  if (const char* env = std::getenv("CDPSIM_MEMORY_LIMIT"); env && *env) {
    char* end = nullptr;
    const double v = std::strtod(env, &end);
    const std::string_view suffix(end);
    double scale = 1;
    if (suffix == "K" || suffix == "k")
      scale = 1e3;
    else if (suffix == "M" || suffix == "m")
      scale = 1e6;
    else if (suffix == "G" || suffix == "g")
      scale = 1e9;
    else if (!suffix.empty())
      scale = -1;
    if (end == env || scale < 0 || !(v > 0))
      throw std::invalid_argument("CDPSIM_MEMORY_LIMIT=" + std::string(env) +
                                  ": not a size (allowed: bytes, or a number with K, M or G)");
    return static_cast<std::uint64_t>(v * scale);
  }
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return UINT64_MAX;  // unknown: no limit
  return static_cast<std::uint64_t>(0.9 * static_cast<double>(pages) * static_cast<double>(page));
}

std::string bytes_text(double bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  int u = 0;
  while (bytes >= 1000 && u < 6) {
    bytes /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, bytes >= 100 || u == 0 ? "%.0f %s" : "%.3g %s", bytes, units[u]);
  return buf;
}

}  // namespace cdpsim
