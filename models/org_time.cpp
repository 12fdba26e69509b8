#include "models/org_time.hpp"

#include <tbb/blocked_range.h>

#include <algorithm>

#include "sim/parallel/parallel_over.hpp"

namespace cdpsim {

void update_organisation_time(World& w, const StepContext& ctx) {
  const OrgTimeParams& p = ctx.s.organisations;
  const double fw = ctx.s.sharing.funding_competition_weight;
  Organisations& o = w.orgs;
  const Territories& t = w.territories;
  parallel_over(tbb::blocked_range<std::uint32_t>(0, o.size(), 4096), [&](const auto& r) {
    for (std::uint32_t i = r.begin(); i != r.end(); ++i) {
      const std::uint32_t ter = o.territory[i];
      const double own = shifted(o.culture[i], ctx.eff.culture_shift);
      const double culture = own + p.learning_feedback * t.learning[ter] * (1.0 - own);
      const double workload =
          std::min(0.95, o.workload[i] + o.sector_frontline[i] * ctx.shock.frontline_workload);
      double allow = ctx.eff.time_factor * (1.0 - p.culture_weight + p.culture_weight * culture) *
                     (0.5 + shifted(o.value_cdp[i], ctx.eff.value_cdp_shift)) * (1.0 - workload);
      if (o.project_funded[i])
        allow *= (1.0 - p.project_squeeze) * ctx.shock.project_allow_multiplier;
      o.allow[i] = static_cast<float>(std::clamp(allow, 0.0, 1.0));
      const double comp =
          t.competition[ter] * o.exposure[i] * (1.0 + fw * o.project_funded[i]) / (1.0 + fw / 2.0);
      o.competition[i] = static_cast<float>(std::min(1.0, comp));
    }
  });
}

}  // namespace cdpsim
