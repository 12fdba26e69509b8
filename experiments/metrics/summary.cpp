#include "experiments/metrics/summary.hpp"

namespace cdpsim {

RunSummary simulate_summary(const Scenario& s, std::uint64_t seed, std::int64_t weeks,
                            const std::function<void(const World&)>& observe,
                            const Checkpoint* from) {
  RunSummary r;
  const std::int64_t n = weeks >= 0 ? weeks : s.simulation.weeks;
  Simulation sim = from ? Simulation(s, seed, from->state) : Simulation(s, seed);
  r.weeks.reserve(static_cast<std::size_t>(n));
  if (from) r.weeks = from->weeks;
  if (observe) observe(sim.world());
  for (std::int64_t t = sim.week(); t < n; ++t) {
    r.weeks.push_back(sim.step());
    if (observe) observe(sim.world());
  }
  const World& w = sim.world();
  const Cdps& c = w.cdps;
  r.cdps.resize(c.created);
  for (std::uint32_t k = 0; k < c.created; ++k) {
    CdpFinal& f = r.cdps[k];
    f.birth_week = c.birth_week[k];
    f.last_support_week = c.last_support_week[k];
    f.phase = c.phase[k];
    f.members = c.members[k];
    f.active = c.active[k];
    f.support_total = c.support_total[k];
    f.repertoire = c.repertoire[k];
    f.autonomy = c.autonomy[k];
    f.mutual_aid = c.mutual_aid[k] != 0;
    // Transformation can follow coalescing, so it does not count as having matured.
    for (const Phase p : {Phase::maturing, Phase::stewardship}) {
      const std::int32_t e = c.phase_entered[std::size_t{k} * kPhases + static_cast<int>(p)];
      if (e >= 0 && (f.maturing_week < 0 || e < f.maturing_week)) f.maturing_week = e;
    }
  }
  r.member_contributions.assign(w.members.contributions.begin(),
                                w.members.contributions.begin() + w.members.created);
  return r;
}

}  // namespace cdpsim
