// Shared helpers for the C++ tests: small scenarios built from text, runs at a chosen thread
// count, and simple statistics.
#pragma once

#include <tbb/task_arena.h>

#include <cmath>
#include <string>
#include <vector>

#include "experiments/scenario_io.hpp"
#include "models/scenario.hpp"
#include "models/schedule.hpp"

namespace cdpsim::test {

// The Passerelles reference, shortened and scaled down, with extra TOML appended (later keys of
// the same section are not allowed in TOML, so pass overrides as --set strings instead).
// The pandemic moves to the middle of the shortened horizon unless `sets` places it.
inline Scenario small_scenario(int weeks = 40, std::vector<std::string> sets = {},
                               int potential = 3000, int initial = 400) {
  const Date mid =
      Date::from_days_since_epoch(Date{2018, 9, 3}.days_since_epoch() + 7 * (weeks / 2));
  std::vector<std::string> all = {"shocks.0.start=" + mid.to_string(),
                                  "simulation.weeks=" + std::to_string(weeks),
                                  "population.potential_members=" + std::to_string(potential),
                                  "population.initial_members=" + std::to_string(initial)};
  all.insert(all.end(), sets.begin(), sets.end());  // the caller's settings win
  return load_scenario(std::string(CDPSIM_SOURCE_DIR) + "/scenarios/passerelles.toml", all);
}

inline std::vector<WeekRecord> run_weeks(const Scenario& s, std::uint64_t seed, int threads = 1) {
  std::vector<WeekRecord> out;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    Simulation sim(s, seed);
    for (std::int64_t t = 0; t < s.simulation.weeks; ++t) out.push_back(sim.step());
  });
  return out;
}

template <class F>
double total(const std::vector<WeekRecord>& r, F f) {
  double s = 0;
  for (const auto& w : r) s += f(w);
  return s;
}

// Standard error of a binomial proportion.
inline double binomial_se(double p, double n) { return std::sqrt(p * (1 - p) / n); }

}  // namespace cdpsim::test
