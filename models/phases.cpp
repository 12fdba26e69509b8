#include "models/phases.hpp"

#include <algorithm>
#include <string>

namespace cdpsim {

namespace {

void set_phase(World& w, std::uint32_t k, Phase to, std::int32_t week, PhaseTotals& tot) {
  const auto from = static_cast<Phase>(w.cdps.phase[k]);
  if (from == to) return;
  w.cdps.phase[k] = static_cast<std::uint8_t>(to);
  std::int32_t& entered = w.cdps.phase_entered[std::size_t{k} * kPhases + static_cast<int>(to)];
  if (entered < 0) entered = week;
  if (to == Phase::dissolved) {
    ++tot.dissolved;
    w.events.push_back({week, EventKind::cdp_dissolved, static_cast<std::int32_t>(k),
                        std::string(kPhaseNames[static_cast<int>(from)])});
  } else {
    ++tot.changes;
    w.events.push_back({week, EventKind::phase_change, static_cast<std::int32_t>(k),
                        std::string(kPhaseNames[static_cast<int>(from)]) + " -> " +
                            std::string(kPhaseNames[static_cast<int>(to)])});
  }
}

}  // namespace

PhaseTotals update_phases(World& w, const StepContext& ctx) {
  const PhaseParams& p = ctx.s.phases;
  Cdps& c = w.cdps;
  PhaseTotals tot;
  for (std::uint32_t k = 0; k < c.created; ++k) {
    if (!c.alive(k)) continue;
    const double activity = std::min(1.0, 3.0 * c.active[k] / std::max<double>(1.0, c.members[k]));
    const double quorum = std::min(1.0, c.active[k] / static_cast<double>(p.min_active));
    const double now = (c.animation_quality[k] + shifted(c.theme_clarity[k], ctx.eff.theme_shift) +
                        shifted(c.autonomy[k], ctx.eff.autonomy_shift) + activity) /
                       4.0 * quorum;
    // Smoothed over about ten weeks: one lively week does not undo a slow decline.
    const double health = c.health[k] + p.health_smoothing * (now - c.health[k]);
    c.health[k] = static_cast<float>(health);
    c.quiet_weeks[k] = c.active[k] == 0 ? c.quiet_weeks[k] + 1 : 0;
    const auto ph = static_cast<Phase>(c.phase[k]);
    // A CdP that never coalesced fades away; one that did goes through transformation instead.
    if (ph == Phase::potential && c.quiet_weeks[k] >= p.dead_weeks) {
      set_phase(w, k, Phase::dissolved, ctx.week, tot);
      continue;
    }
    if (ph == Phase::transformation) {
      const double u = ctx.rng.uniform(stream::phases, ctx.week, k);
      if (u < ctx.eff.renew_rate) {
        c.maturity[k] = p.coalescing_at;
        c.decline_weeks[k] = 0;
        set_phase(w, k, Phase::coalescing, ctx.week, tot);
      } else if (u < ctx.eff.renew_rate + p.dissolve_rate) {
        set_phase(w, k, Phase::dissolved, ctx.week, tot);
      }
      continue;
    }
    c.theme_clarity[k] *= static_cast<float>(1.0 - ctx.eff.relevance_drift);
    c.maturity[k] += p.growth * health;
    c.decline_weeks[k] = health < p.decline_health ? c.decline_weeks[k] + 1 : 0;
    if (ph != Phase::potential && c.decline_weeks[k] >= p.decline_weeks) {
      set_phase(w, k, Phase::transformation, ctx.week, tot);
      continue;
    }
    Phase to = ph;
    if (c.maturity[k] >= p.stewardship_at) {
      to = Phase::stewardship;
    } else if (c.maturity[k] >= p.maturing_at) {
      to = Phase::maturing;
    } else if (c.maturity[k] >= p.coalescing_at) {
      to = Phase::coalescing;
    }
    if (static_cast<int>(to) > static_cast<int>(ph)) set_phase(w, k, to, ctx.week, tot);
  }
  return tot;
}

}  // namespace cdpsim
