// Animation: animators' hours, skill and burnout (docs/model.md, "Animation").
//   need_c   = need_base + need_per_active * active_c
//   own_c    = h_anim (0.3 + 0.7 skill_a) + core_help_hours * core_c       (animator present)
//   h_anim   = animator_hours (lever animation: 2-8 h/week)
//   allowed  = animator_budget * allow_o(a)
//   burnout' = max(0, burnout + burnout_rate * max(0, h_anim - allowed) / h_anim - recovery_rate)
//   skill'   = skill + practice_gain (1 - skill)
// At burnout >= 1 the animator steps down; a core member takes over with probability
// succession_prob (lever core_leadership), otherwise the CdP has no animator until one steps up
// (each week with probability succession_prob / 10). The successor is the most engaged core member
// of last week, if still a member and not the animator who stepped down. An animator who left the
// CdP is replaced the same way. Someone animating several CdPs is charged overtime for each.
#pragma once

#include "models/context.hpp"
#include "models/world.hpp"

namespace cdpsim {

void update_animation(World& w, const StepContext& ctx);

}  // namespace cdpsim
