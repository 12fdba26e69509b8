#include "experiments/memory_plan.hpp"

#include <string>

#include "experiments/metrics/metrics.hpp"
#include "models/series.hpp"
#include "sim/memory.hpp"

namespace cdpsim {

namespace {

constexpr double kBytesPerMember = 160;
constexpr double kBytesPerCdp = 512;
constexpr double kBytesPerWeekRecord = 768;  // sizeof(WeekRecord) 632 and its vectors
constexpr double kBytesPerCdpWeek = 24;      // per-CdP series, when recorded

// Saturating, so that absurd sizes compare as huge instead of wrapping around.
std::uint64_t to_bytes(double b) {
  return b >= 1.8e19 ? UINT64_MAX : static_cast<std::uint64_t>(b);
}

}  // namespace

std::uint64_t world_bytes_estimate(const Scenario& s) {
  const double weeks = static_cast<double>(s.simulation.weeks);
  const double cdps = static_cast<double>(s.population.max_cdps);
  double b = kBytesPerMember * static_cast<double>(s.population.potential_members) +
             kBytesPerCdp * cdps + kBytesPerWeekRecord * weeks;
  if (s.output.per_cdp_series) b += kBytesPerCdpWeek * cdps * weeks;
  return to_bytes(b);
}

std::uint64_t ensemble_bytes_estimate(const Scenario& base, std::int64_t runs_held,
                                      std::int64_t replicates, int threads) {
  const AxisSizes sizes{base.territories.size(), base.platforms.size()};
  double values = 0;
  for (const SeriesDef& d : weekly_series())
    values += static_cast<double>(axis_width(d.axis, sizes));
  values *= static_cast<double>(base.simulation.weeks);
  values += static_cast<double>(metrics().size());
  // A finished run's values, twice (kept, then copied into the file's buffers), plus its slot.
  const double per_run = 2 * 8 * values + 128;
  Scenario one_world = base;
  one_world.output.per_cdp_series = false;  // ensembles keep no per-CdP series
  return to_bytes(
      per_run * static_cast<double>(runs_held) + 16.0 * static_cast<double>(replicates) +
      static_cast<double>(threads) * static_cast<double>(world_bytes_estimate(one_world)));
}

void check_memory(std::string_view what, std::uint64_t bytes, std::string_view remedy) {
  const std::uint64_t limit = memory_limit_bytes();
  if (bytes <= limit) return;
  throw MemoryPlanError(std::string(what) + ": needs about " +
                        bytes_text(static_cast<double>(bytes)) + " of memory, more than the " +
                        bytes_text(static_cast<double>(limit)) +
                        " cdpsim may use here (allowed: at most 90% of physical memory, or "
                        "CDPSIM_MEMORY_LIMIT); " +
                        std::string(remedy));
}

}  // namespace cdpsim
