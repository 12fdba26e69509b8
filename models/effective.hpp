// Effective parameters: the base parameters after the 17 levers have been applied. This is the
// one place where levers touch the model (docs/model.md, "Levers"); every mapping is the identity
// at lever 0.5, so the reference calibration holds there.
#pragma once

#include "models/scenario.hpp"

namespace cdpsim {

struct Effective {
  double culture_mean;      // organisational_culture
  double time_factor;       // time_allowance: 2L (0 gives no time at all)
  double support_hours;     // support_capacity: 2L * capacity_hours
  double value_cdp_mean;    // recognition
  double reply_factor;      // recognition: 0.5 + L
  double eco_trust;         // ecosystem_trust
  double theme_mean;        // theme_clarity
  double renew_rate;        // evolving_design: 2L * renew_rate
  double relevance_drift;   // evolving_design: 2(1 - L) * relevance_drift
  double autonomy_mean;     // autonomy
  double size_penalty;      // composition_fit: 2(1 - L) * size_penalty_weight
  double animator_hours;    // animation: hours_min + L (hours_max - hours_min)
  double succession_prob;   // core_leadership: L
  double core_help_hours;   // core_leadership: 2L * core_help_hours
  double engagement_gain;   // activity_rhythm: (0.5 + L) * gain
  double engagement_decay;  // belonging: (1.5 - L) * decay
  double trust_mean;        // trust_climate
  double trust_gain;        // trust_climate: (0.5 + L) * trust_gain
  double value_base;        // perceived_value: 2L
  double tools_factor;      // digital_tools: 0.5 + L (platform quality = usability x this, <= 1)
  double cross_post_rate;   // cdp_intersections: 2L * cross_post_rate
  double boundary_rate;     // cdp_intersections: 2L * boundary_rate
  // Levers that also set attributes agents are created with (the *_mean above, kept at the
  // scenario's values) shift those attributes where they are used by the lever's change during
  // the run (interventions): 0 without one, so the stored attributes are never rewritten.
  double culture_shift = 0.0;    // organisational_culture: organisations' culture
  double value_cdp_shift = 0.0;  // recognition: organisations' value of CdP work
  double theme_shift = 0.0;      // theme_clarity: CdPs' theme clarity
  double autonomy_shift = 0.0;   // autonomy: CdPs' autonomy
  double trust_shift = 0.0;      // trust_climate: members' trust
};

[[nodiscard]] Effective apply_levers(const Scenario& s);
// The levers of `now` (a scenario during interventions) over those of `base` (the scenario as
// written): creation-time means from base, shifts from the difference.
[[nodiscard]] Effective apply_levers(const Scenario& now, const Levers& base);

// x + shift within [0, 1]; exactly x when shift is 0.
inline double shifted(double x, double shift) {
  if (shift == 0.0) return x;
  const double v = x + shift;
  return v < 0.0 ? 0.0 : (v > 1.0 ? 1.0 : v);
}

}  // namespace cdpsim
