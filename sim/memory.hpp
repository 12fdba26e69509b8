// How much memory cdpsim may plan for, so that an absurd request is refused before any work
// (exit 2 with the estimate) instead of dying of an allocation failure later.
#pragma once

#include <cstdint>
#include <string>

namespace cdpsim {

// CDPSIM_MEMORY_LIMIT when set (bytes, or with a K, M or G suffix: "8G"), else 90% of the
// machine's physical memory. Throws std::invalid_argument for an unreadable CDPSIM_MEMORY_LIMIT.
std::uint64_t memory_limit_bytes();

// "1.6 GB", "512 MB": decimal units, three significant digits.
std::string bytes_text(double bytes);

// Fixes glibc's mmap threshold at 1 MiB. By default it rises to the size of each large block
// freed, so the blocks a week allocates and frees (a few MB per CdP-sized array) come from the
// heap afterwards and fragment it: scenarios/large.toml peaked at 529 MB resident instead of
// 180 MB (docs/performance.md, "Memory"). Called once at start by every front end; no effect on
// results.
void tune_allocator();

}  // namespace cdpsim
