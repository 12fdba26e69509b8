// CdP creation (docs/model.md, "CdP creation"). Most CdPs start spontaneously (seed):
//   new CdPs per week ~ Poisson(cdp_base_rate + cdp_rate_per_1000 * active_members / 1000
//                               + mutual_aid_rate [pandemic burst])
// A founder is drawn among registered members with a free slot (up to 64 probes from a random id);
// it becomes the animator and a core member. Without one, the CdP starts leaderless in a random
// territory and needs a member to step up. theme ~ U around theme_clarity lever,
// autonomy ~ U around autonomy lever, in-person share around 1 - online_share_mean; mutual-aid
// CdPs (pandemic burst) are online-only with a clear theme.
#pragma once

#include <cstdint>

#include "models/context.hpp"
#include "models/world.hpp"

namespace cdpsim {

// Creates one CdP founded by `founder` (kNone: no founder). Returns its id, or kNone when
// max_cdps is reached.
std::uint32_t create_cdp(World& w, const StepContext& ctx, std::uint32_t founder, bool mutual_aid);

// This week's spontaneous and mutual-aid creations; returns how many.
std::uint32_t create_cdps(World& w, const StepContext& ctx, std::int64_t active_members);

}  // namespace cdpsim
