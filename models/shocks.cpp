#include "models/shocks.hpp"

#include <algorithm>

namespace cdpsim {

ShockEffects shock_effects(const Scenario& s, std::int64_t week) {
  ShockEffects e;
  for (const ShockSpec& sh : s.shocks) {
    const std::int64_t start = s.week_of(sh.start);
    if (week < start || week >= start + sh.duration_weeks) continue;
    if (sh.kind == "pandemic") {
      if (sh.intensity >= e.pandemic) {
        e.pandemic = sh.intensity;
        e.pandemic_week = week - start;
      }
    } else if (sh.kind == "funding_cut") {
      e.funding_cut = std::max(e.funding_cut, sh.intensity);
    } else {
      e.migration = std::max(e.migration, sh.intensity);
    }
  }
  const PandemicParams& p = s.pandemic;
  e.inperson_multiplier = 1.0 - e.pandemic * (1.0 - p.inperson_factor);
  e.online_multiplier = 1.0 + e.pandemic * p.online_boost;
  e.bridging_multiplier = 1.0 - e.pandemic * p.bridging_cut;
  e.frontline_workload = e.pandemic * p.frontline_workload;
  if (e.pandemic_week >= 0 && e.pandemic_week < p.burst_weeks)
    e.mutual_aid_rate = e.pandemic * p.mutual_aid_cdps_per_week;
  e.support_multiplier = 1.0 - e.funding_cut;
  e.project_allow_multiplier = 1.0 - 0.5 * e.funding_cut;
  e.platform_multiplier = 1.0 - e.migration;
  return e;
}

}  // namespace cdpsim
