// Digital tools and critical mass (docs/model.md, "Platforms"; Oliver, Marwell & Teixeira 1985).
//   quality_p = min(1, usability_p * tools_factor) * platform_multiplier
//   U_eff     = U_p + interoperability_p * sum_{q != p} interoperability_q U_q
//   mass_p    = U_eff^k / (U_eff^k + mass_half^k) * platform_multiplier      (S-shaped)
// with U_p the members active online on the platform's CdPs last week.
#pragma once

#include "models/context.hpp"
#include "models/world.hpp"

namespace cdpsim {

void update_platforms(World& w, const StepContext& ctx);
// Mean critical mass and openness over platforms, weighted by their CdP share.
double mean_platform_mass(const World& w);
double mean_platform_openness(const World& w);

}  // namespace cdpsim
