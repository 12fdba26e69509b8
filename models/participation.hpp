// Participation decision: benefit-cost with heterogeneous thresholds (docs/model.md,
// "Participation"; Ren & Kraut's online-community model, Granovetter thresholds).
// For membership (i, c) in week t, with the CdP's state of week t-1:
//   B_c   = value_weight * value_base * theme_c + social_weight * active_c / members_c
//           + animation_weight * A_c - size_penalty * |ln((members_c + 1) / optimal_size)|
//   B_ic  = B_c + engagement_weight * e_ic
//           + [online] online_weight * quality_p * (0.5 + 0.5 mass_p) * online_mult
//                                    * (0.5 + 0.5 skill_digital_i)
//   cost  = cost_weight * h / max(hours_left, 0.05) + tension_weight * competition_o * (1 - tau_i)
//   P(participate) = logistic((B_ic - cost - threshold_i) / noise_scale),  only if hours_left >= h
// where h = hours_per_activity (+ travel_hours when in person). Zero hours left => no
// participation. A participating member posts Poisson(rate_tier * propensity_i) contributions.
#pragma once

#include <cmath>

#include "models/params.hpp"

namespace cdpsim {

inline double logistic(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// Part of the benefit that depends on the CdP only (computed once per CdP and week).
inline double cdp_benefit(const ParticipationParams& p, double value_base, double size_penalty,
                          double theme, double members, double active, double animation_quality) {
  const double social = members > 0 ? active / members : 0.0;
  return p.value_weight * value_base * theme + p.social_weight * social +
         p.animation_weight * animation_quality -
         size_penalty * std::fabs(std::log((members + 1.0) / p.optimal_size));
}

inline double participation_cost(const ParticipationParams& p, double hours, double hours_left,
                                 double competition, double tau) {
  return p.cost_weight * hours / std::fmax(hours_left, 0.05) +
         p.tension_weight * competition * (1.0 - tau);
}

inline double participation_probability(const ParticipationParams& p, double benefit, double cost,
                                        double threshold) {
  return logistic((benefit - cost - threshold) / p.noise_scale);
}

inline double contribution_rate(const ParticipationParams& p, int tier, double propensity) {
  const double base = tier == 2 ? p.rate_core : (tier == 1 ? p.rate_active : p.rate_peripheral);
  return base * propensity;
}

}  // namespace cdpsim
