// In-memory runs: what ensembles, `compare`, `facts` and sensitivity analysis keep of one run, and
// compute the outcome metrics from (metrics.hpp).
//
//   RunSummary r = simulate_summary(scenario, seed);
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "experiments/run/checkpoint.hpp"
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
  std::int32_t maturing_week = -1;  // first week in maturing or stewardship, -1: never
};

struct RunSummary {
  std::vector<WeekRecord> weeks;
  std::vector<CdpFinal> cdps;
  std::vector<std::uint32_t> member_contributions;  // per member ever registered
};

// Runs `s` for its simulation.weeks (or `weeks` if >= 0) without writing anything. `observe`, if
// given, sees the world before the first week and after every week (world.week = 0, 1, ..., n):
// sensitivity analysis reads each CdP's phase at a measurement week this way.
// `from`, if given, is a branch's start (experiments/run/branch.hpp): the run continues from its
// week and draws from `seed` after it; `weeks` then holds its history too.
RunSummary simulate_summary(const Scenario& s, std::uint64_t seed, std::int64_t weeks = -1,
                            const std::function<void(const World&)>& observe = {},
                            const Checkpoint* from = nullptr);

}  // namespace cdpsim
