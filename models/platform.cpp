#include "models/platform.hpp"

#include <algorithm>
#include <cmath>

namespace cdpsim {

void update_platforms(World& w, const StepContext& ctx) {
  Platforms& P = w.platforms;
  const PlatformParams& pp = ctx.s.platform;
  const double mult = ctx.shock.platform_multiplier;
  for (std::uint32_t p = 0; p < P.size(); ++p) {
    P.quality[p] = std::min(1.0, P.usability[p] * ctx.eff.tools_factor) * mult;
    double users = static_cast<double>(P.active_users[p]);
    for (std::uint32_t q = 0; q < P.size(); ++q)
      if (q != p) users += P.interoperability[p] * P.interoperability[q] * P.active_users[q];
    const double a = std::pow(users, pp.mass_exponent);
    P.mass[p] = a / (a + std::pow(pp.mass_half, pp.mass_exponent)) * mult;
  }
}

static double share_weighted(const Platforms& P, const std::vector<double>& x) {
  double s = 0.0, v = 0.0;
  for (std::uint32_t p = 0; p < P.size(); ++p) {
    s += P.share[p];
    v += P.share[p] * x[p];
  }
  return s > 0 ? v / s : 0.0;
}

double mean_platform_mass(const World& w) { return share_weighted(w.platforms, w.platforms.mass); }
double mean_platform_openness(const World& w) {
  return share_weighted(w.platforms, w.platforms.openness);
}

}  // namespace cdpsim
