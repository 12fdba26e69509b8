// Support ("accompagnement") with limited capacity (docs/model.md, "Support").
//   demand_c = max(0, need_c - own_c) + needs_analysis_hours [phase potential or coalescing],
//              for CdPs before stewardship whose support so far is under episode_weeks weeks
//              (a support mandate ends; then the CdP is on its own)
//   capacity = support_hours (lever support_capacity) * support_multiplier;  0 when mode = none
//   allocation: neediest first, first come (oldest CdP) first, or proportional to demand
//   expert:            sub_c = expert_efficiency * given_c               (hours that do not stay)
//   capacity_building: sub_c = immediate_share * expert_efficiency * given_c
//                      skill_a += skill_gain * given_c * (1 - skill_a)   (stays)
//                      autonomy_c += autonomy_gain * given_c * (1 - autonomy_c)
//   peer network:      trained animators close peer_rate of their gap to the trained mean weekly
//   A_c = min(1, (own_c + sub_c) / need_c)
#pragma once

#include "models/context.hpp"
#include "models/world.hpp"

namespace cdpsim {

struct SupportTotals {
  double demanded = 0.0;
  double given = 0.0;
};

SupportTotals allocate_support(World& w, const StepContext& ctx);

}  // namespace cdpsim
