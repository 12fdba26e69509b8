#include "models/levers.hpp"

#include <algorithm>

namespace cdpsim {

std::array<double*, kLevers> Levers::by_index() {
  return {&organisational_culture,
          &time_allowance,
          &support_capacity,
          &recognition,
          &ecosystem_trust,
          &theme_clarity,
          &evolving_design,
          &autonomy,
          &composition_fit,
          &animation,
          &core_leadership,
          &activity_rhythm,
          &belonging,
          &trust_climate,
          &perceived_value,
          &digital_tools,
          &cdp_intersections};
}

}  // namespace cdpsim

#include "models/effective.hpp"

namespace cdpsim {

Effective apply_levers(const Scenario& s) {
  const Levers& L = s.levers;
  Effective e{};
  e.culture_mean = L.organisational_culture;
  e.time_factor = 2.0 * L.time_allowance;
  e.support_hours = 2.0 * L.support_capacity * s.support.capacity_hours;
  e.value_cdp_mean = L.recognition;
  e.reply_factor = 0.5 + L.recognition;
  e.eco_trust = L.ecosystem_trust;
  e.theme_mean = L.theme_clarity;
  e.renew_rate = std::min(1.0, 2.0 * L.evolving_design * s.phases.renew_rate);
  e.relevance_drift = std::min(1.0, 2.0 * (1.0 - L.evolving_design) * s.phases.relevance_drift);
  e.autonomy_mean = L.autonomy;
  e.size_penalty = 2.0 * (1.0 - L.composition_fit) * s.participation.size_penalty_weight;
  e.animator_hours =
      s.animation.hours_min + L.animation * (s.animation.hours_max - s.animation.hours_min);
  e.succession_prob = L.core_leadership;
  e.core_help_hours = 2.0 * L.core_leadership * s.animation.core_help_hours;
  e.engagement_gain = std::min(1.0, (0.5 + L.activity_rhythm) * s.engagement.gain);
  e.engagement_decay = std::min(1.0, (1.5 - L.belonging) * s.engagement.decay);
  e.trust_mean = L.trust_climate;
  e.trust_gain = std::min(1.0, (0.5 + L.trust_climate) * s.sharing.trust_gain);
  e.value_base = 2.0 * L.perceived_value;
  e.tools_factor = 0.5 + L.digital_tools;
  e.cross_post_rate = std::min(1.0, 2.0 * L.cdp_intersections * s.repertoire.cross_post_rate);
  e.boundary_rate = 2.0 * L.cdp_intersections * s.repertoire.boundary_rate;
  return e;
}

Effective apply_levers(const Scenario& now, const Levers& base) {
  Effective e = apply_levers(now);
  const Levers& L = now.levers;
  e.culture_mean = base.organisational_culture;
  e.value_cdp_mean = base.recognition;
  e.theme_mean = base.theme_clarity;
  e.autonomy_mean = base.autonomy;
  e.trust_mean = base.trust_climate;
  e.culture_shift = L.organisational_culture - base.organisational_culture;
  e.value_cdp_shift = L.recognition - base.recognition;
  e.theme_shift = L.theme_clarity - base.theme_clarity;
  e.autonomy_shift = L.autonomy - base.autonomy;
  e.trust_shift = L.trust_climate - base.trust_climate;
  return e;
}

}  // namespace cdpsim
