// CdP lifecycle: potential, coalescing, maturing, stewardship, transformation, and dissolution
// (docs/model.md, "Phases"; Wenger, McDermott & Snyder 2002).
//   activity_c = min(1, 3 active_c / max(1, members_c))
//   now_c      = (A_c + theme_c + autonomy_c + activity_c) / 4 * min(1, active_c / min_active)
//   health_c'  = health_c + health_smoothing (now_c - health_c)       (exponential smoothing)
//   theme_c'   = (1 - relevance_drift) theme_c   (practice moves on; lever evolving_design)
//   maturity'  = maturity + growth * health_c
//   phase from maturity: coalescing_at, maturing_at, stewardship_at (upwards only)
//   health < decline_health for decline_weeks weeks (after potential) => transformation
//   transformation: renews to coalescing with probability renew_rate (lever evolving_design),
//                   else dissolves with probability dissolve_rate
//   potential phase: no active member for dead_weeks weeks => dissolved (it never coalesced)
#pragma once

#include <cstdint>

#include "models/context.hpp"
#include "models/world.hpp"

namespace cdpsim {

struct PhaseTotals {
  std::int64_t dissolved = 0;
  std::int64_t changes = 0;
};

PhaseTotals update_phases(World& w, const StepContext& ctx);

}  // namespace cdpsim
