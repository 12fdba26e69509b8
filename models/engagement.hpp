// Engagement reinforcement and decay with tiers (docs/model.md, "Engagement").
//   participated: e' = e + gain (1 - e) q - decay e,  q = 0.5 + 0.5 A_c (a well-animated week
//   satisfies) otherwise:    e' = (1 - decay) e
// With weekly participation probability r the mean-field fixed point is
//   e* = gain q r / (gain q r + decay),
// so tiers follow participation frequency: core (e >= core_threshold), active
// (e >= active_threshold), peripheral otherwise (Wenger, McDermott & Snyder 2002).
#pragma once

#include <cstdint>

#include "models/params.hpp"

namespace cdpsim {

inline double engagement_after(double e, bool participated, double gain, double decay, double q) {
  return participated ? e + gain * (1.0 - e) * q - decay * e : (1.0 - decay) * e;
}

inline std::uint8_t tier_of(const EngagementParams& p, double e) {
  return e >= p.core_threshold ? 2 : (e >= p.active_threshold ? 1 : 0);
}

// Mean-field fixed point of engagement for participation probability r (tested against the
// simulated average in tests/models/test_engagement.cpp).
inline double engagement_fixed_point(double gain, double decay, double q, double r) {
  const double a = gain * q * r;
  return a + decay > 0 ? a / (a + decay) : 0.0;
}

}  // namespace cdpsim
