// Competition damps knowledge sharing, trust restores it (docs/model.md, "Knowledge sharing";
// Tsai 2002; MODEL-BRIEF fact 8).
//   tau_i  = 0.5 eco_trust + 0.5 trust_i                     (ecosystem and personal trust)
//   share  = 1 - competition_o (1 - tau_i)                   (share of contributions shared)
//   trust' = trust + trust_gain (1 - openness_trust_cost openness_p) (1 - trust)  if participated
//          = (1 - trust_decay) trust                                              otherwise
#pragma once

namespace cdpsim {

inline double effective_trust(double eco_trust, double trust) {
  return 0.5 * eco_trust + 0.5 * trust;
}

inline double sharing_probability(double competition, double tau) {
  return 1.0 - competition * (1.0 - tau);
}

inline double trust_after(double trust, bool participated, double gain, double decay,
                          double openness_cost, double openness) {
  return participated ? trust + gain * (1.0 - openness_cost * openness) * (1.0 - trust)
                      : (1.0 - decay) * trust;
}

}  // namespace cdpsim
