#include "models/territory.hpp"

#include <algorithm>
#include <vector>

namespace cdpsim {

void update_territories(World& w, const StepContext& ctx) {
  Territories& t = w.territories;
  const TerritoryParams& p = ctx.s.territory;
  const std::uint32_t T = t.size();
  std::vector<double> next(T);
  for (std::uint32_t k = 0; k < T; ++k) {
    const double f = static_cast<double>(t.flow_fx[k]) / kFixed / (t.members[k] + 1.0);
    double l = t.learning[k] + p.learning_gain * f * (1.0 - t.learning[k]) -
               p.learning_decay * t.learning[k];
    const std::uint32_t deg = t.nb_offset[k + 1] - t.nb_offset[k];
    if (deg > 0) {
      double gap = 0.0;
      for (std::uint32_t j = t.nb_offset[k]; j < t.nb_offset[k + 1]; ++j)
        gap += t.learning[t.nb_target[j]] - t.learning[k];
      l += p.spillover * gap / deg;
    }
    next[k] = std::clamp(l, 0.0, 1.0);
  }
  t.learning = std::move(next);
}

}  // namespace cdpsim
