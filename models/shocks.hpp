// Scheduled shocks (docs/model.md, "Shocks"). A shock of kind k with intensity I is active in
// weeks [start, start + duration). Concurrent shocks of one kind take the highest intensity.
// Pandemic at intensity p (parameters in [pandemic], values at p = 1):
//   in-person share  x (1 - p (1 - inperson_factor))      in-person activity to near zero
//   online benefit   x (1 + p online_boost)                new digital habits
//   joining further CdPs x (1 - p bridging_cut)            fewer bridging ties
//   + p mutual_aid_cdps_per_week new CdPs in the first burst_weeks
//   + p frontline_workload on front-line organisations' workload
// Funding cut at intensity f: support capacity x (1 - f); project-funded organisations allow
// x (1 - f/2). Platform migration at intensity m: platform quality and critical mass x (1 - m).
#pragma once

#include <cstdint>

#include "models/scenario.hpp"

namespace cdpsim {

struct ShockEffects {
  double pandemic = 0.0;            // intensity now (0 when none)
  std::int64_t pandemic_week = -1;  // weeks since the onset of the active pandemic (-1: none)
  double funding_cut = 0.0;
  double migration = 0.0;

  double inperson_multiplier = 1.0;
  double online_multiplier = 1.0;
  double bridging_multiplier = 1.0;
  double frontline_workload = 0.0;
  double mutual_aid_rate = 0.0;
  double support_multiplier = 1.0;
  double project_allow_multiplier = 1.0;
  double platform_multiplier = 1.0;
};

[[nodiscard]] ShockEffects shock_effects(const Scenario& s, std::int64_t week);

}  // namespace cdpsim
