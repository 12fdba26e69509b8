// In-memory runs and the outcome metrics users compare across scenarios (ensembles, `compare`,
// `facts`, sensitivity analysis). A metric is a number computed from one run at its last week.
//
//   RunSummary r = simulate_summary(scenario, seed);
//   double alive = metric_value(r, "cdps_alive");
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "models/scenario.hpp"
#include "models/schedule.hpp"

namespace cdpsim {

// The final state of one CdP (every CdP ever created).
struct CdpFinal {
  std::int32_t birth_week = 0;
  std::int32_t last_support_week = -1;  // -1: never supported
  std::uint8_t phase = 0;               // Phase at the last week
  std::int32_t members = 0;
  std::int32_t active = 0;     // members active in the last week
  double support_total = 0.0;  // h over the run
  double repertoire = 0.0;
  double autonomy = 0.0;
  bool mutual_aid = false;
  std::int32_t maturing_week = -1;  // first week in maturing (or beyond), -1: never
};

struct RunSummary {
  std::vector<WeekRecord> weeks;
  std::vector<CdpFinal> cdps;
  std::vector<std::uint32_t> member_contributions;  // per member ever registered
};

// Runs `s` for its simulation.weeks (or `weeks` if >= 0) without writing anything. `observe`, if
// given, sees the world before the first week and after every week (world.week = 0, 1, ..., n):
// sensitivity analysis reads each CdP's phase at a measurement week this way.
RunSummary simulate_summary(const Scenario& s, std::uint64_t seed, std::int64_t weeks = -1,
                            const std::function<void(const World&)>& observe = {});

struct MetricInfo {
  std::string_view name;
  std::string_view unit;
  std::string_view meaning;
};

// Every metric that metric_value() knows, in a stable order; the first six are the defaults of
// `cdpsim compare`.
const std::vector<MetricInfo>& metric_catalogue();
// Throws std::invalid_argument naming the allowed metrics when `name` is unknown.
double metric_value(const RunSummary& r, std::string_view name);
// Weeks after the end of support a CdP must still be active to count as autonomous.
inline constexpr std::int32_t kAutonomyWeeks = 26;

}  // namespace cdpsim
