// Time available from the organisation's priorities (docs/model.md, "Organisational time").
// The seed: "lack of time" is really the organisation's priorities, means and culture.
//   culture_eff = culture + learning_feedback * L_territory * (1 - culture)
//   workload_t  = min(0.95, workload + frontline * pandemic frontline_workload)
//   allow = clamp(time_factor * (1 - w + w culture_eff) * (0.5 + value_cdp) * (1 - workload_t)
//                 * [project_funded] (1 - project_squeeze) (1 - funding_cut / 2), 0, 1)
//   hours available to a member = time_budget * allow
// Competition felt (Tsai 2002: competing for scarce shared funding hurts more):
//   competition = min(1, competition_territory * exposure
//                       * (1 + funding_competition_weight * project_funded) / (1 + weight / 2))
#pragma once

#include "models/context.hpp"
#include "models/world.hpp"

namespace cdpsim {

void update_organisation_time(World& w, const StepContext& ctx);

}  // namespace cdpsim
