// What every mechanism receives for one week: the scenario, the lever-adjusted parameters, the
// random streams, the week and the shocks in force. No global state.
#pragma once

#include <cstdint>
#include <limits>

#include "models/effective.hpp"
#include "models/shocks.hpp"
#include "models/streams.hpp"
#include "sim/rng.hpp"

namespace cdpsim {

struct StepContext {
  const Scenario& s;
  const Effective& eff;
  const Rng& rng;
  std::int32_t week;
  ShockEffects shock;
  // Support hours the paying programme still allows this week (models/interventions.hpp).
  double support_cap = std::numeric_limits<double>::infinity();
};

}  // namespace cdpsim
