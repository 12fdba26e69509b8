// Memory a request will need, estimated before any allocation, and the refusal of a request that
// cannot fit (docs/performance.md gives the measured bytes per member behind the estimate).
//
//   check_memory("run", world_bytes_estimate(scenario));   // throws MemoryPlanError (exit 2)
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "models/scenario.hpp"

namespace cdpsim {

// A request that would need more memory than memory_limit_bytes() (sim/memory.hpp): a user
// error, refused with the estimate before any work.
struct MemoryPlanError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// One simulation of `s`: its world (160 bytes per potential member, the upper end of what
// docs/performance.md measures, and 512 per possible CdP) and the weeks it records in memory.
std::uint64_t world_bytes_estimate(const Scenario& s);

// An ensemble process holding `runs_held` finished runs of `base`'s size (their weekly series
// and metrics), `replicates` seeds and `threads` worlds at once.
std::uint64_t ensemble_bytes_estimate(const Scenario& base, std::int64_t runs_held,
                                      std::int64_t replicates, int threads);

// Throws MemoryPlanError naming `what`, the estimate, the limit and `remedy` when bytes > limit.
void check_memory(std::string_view what, std::uint64_t bytes,
                  std::string_view remedy = "make the request smaller");

}  // namespace cdpsim
