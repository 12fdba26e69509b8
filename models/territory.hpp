// Territory learning capacity, "territoires apprenants" (docs/model.md, "Territories").
//   f_T = cross-organisation shared contributions in T this week / (members_T + 1)
//   L_T' = L_T + learning_gain f_T (1 - L_T) - learning_decay L_T
//          + spillover * mean_{n in neighbours(T)} (L_n - L_T)
// computed from the week's values for every territory at once (synchronous update). L_T feeds
// back into organisations' culture (org_time.hpp): the ecosystem/CdP feedback loop of the seed.
#pragma once

#include "models/context.hpp"
#include "models/world.hpp"

namespace cdpsim {

void update_territories(World& w, const StepContext& ctx);

}  // namespace cdpsim
