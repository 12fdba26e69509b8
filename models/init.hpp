// Initialisation (docs/model.md, "Initialisation"): a World built from a Scenario and a seed.
// Every attribute is a counter-based draw keyed by the agent's id, so an agent's attributes do not
// depend on how many others exist or in which order they were made.
#pragma once

#include <cstdint>

#include "models/effective.hpp"
#include "models/streams.hpp"
#include "models/world.hpp"
#include "sim/rng.hpp"

namespace cdpsim {

World make_world(const Scenario& s, const Effective& eff, const Rng& rng);

}  // namespace cdpsim
