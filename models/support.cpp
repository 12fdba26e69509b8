#include "models/support.hpp"

#include <algorithm>
#include <numeric>

namespace cdpsim {

SupportTotals allocate_support(World& w, const StepContext& ctx) {
  const SupportParams& p = ctx.s.support;
  const SupportMode mode = ctx.s.support_mode();
  Cdps& c = w.cdps;
  Members& m = w.members;
  SupportTotals tot;
  std::vector<std::uint32_t> asking;
  for (std::uint32_t k = 0; k < c.created; ++k) {
    c.support_given[k] = 0.0f;
    c.support_demand[k] = 0.0f;
    if (!c.alive(k)) continue;
    const auto ph = static_cast<Phase>(c.phase[k]);
    if (ph == Phase::stewardship || ph == Phase::transformation) continue;
    if (c.support_weeks[k] >= p.episode_weeks) continue;  // its support mandate is over
    double d = std::max(0.0, static_cast<double>(c.need_hours[k] - c.own_hours[k]));
    if (ph == Phase::potential || ph == Phase::coalescing) d += p.needs_analysis_hours;
    if (d <= 0) continue;
    c.support_demand[k] = static_cast<float>(d);
    tot.demanded += d;
    asking.push_back(k);
  }
  double capacity =
      mode == SupportMode::none ? 0.0 : ctx.eff.support_hours * ctx.shock.support_multiplier;
  capacity = std::min(capacity, ctx.support_cap);  // what the programme's budget still pays
  const AllocationPolicy policy = ctx.s.allocation_policy();
  if (policy == AllocationPolicy::proportional) {
    const double f = tot.demanded > 0 ? std::min(1.0, capacity / tot.demanded) : 0.0;
    for (std::uint32_t k : asking) c.support_given[k] = static_cast<float>(c.support_demand[k] * f);
  } else {
    if (policy == AllocationPolicy::neediest) {
      std::stable_sort(asking.begin(), asking.end(), [&](std::uint32_t a, std::uint32_t b) {
        return c.support_demand[a] > c.support_demand[b];
      });
    } else {
      std::stable_sort(asking.begin(), asking.end(), [&](std::uint32_t a, std::uint32_t b) {
        return c.birth_week[a] < c.birth_week[b];
      });
    }
    for (std::uint32_t k : asking) {
      if (capacity <= 0) break;
      const double g = std::min<double>(capacity, c.support_demand[k]);
      c.support_given[k] = static_cast<float>(g);
      capacity -= g;
    }
  }
  // Effects of the hours given, then animation quality for this week.
  double peer_sum = 0.0;
  int peer_n = 0;
  for (std::uint32_t k = 0; k < c.created; ++k) {
    if (!c.alive(k)) continue;
    const double g = c.support_given[k];
    double sub = 0.0;
    const std::uint32_t a = c.animator[k];
    if (g > 0) {
      tot.given += g;
      c.support_total[k] += g;
      c.last_support_week[k] = ctx.week;
      ++c.support_weeks[k];
      if (mode == SupportMode::expert) {
        sub = p.expert_efficiency * g;
      } else if (mode == SupportMode::capacity_building) {
        sub = p.immediate_share * p.expert_efficiency * g;
        if (a != kNone) {
          m.skill_anim[a] += static_cast<float>(p.skill_gain * g * (1.0 - m.skill_anim[a]));
          m.trained[a] = 1;
        }
        c.autonomy[k] += static_cast<float>(p.autonomy_gain * g * (1.0 - c.autonomy[k]));
      }
    }
    if (p.peer_network && a != kNone && m.trained[a]) {
      peer_sum += m.skill_anim[a];
      ++peer_n;
    }
    const double need = c.need_hours[k];
    c.animation_quality[k] =
        need > 0 ? static_cast<float>(std::min(1.0, (c.own_hours[k] + sub) / need)) : 1.0f;
  }
  // The peer CdP of animators: trained animators learn from each other (skill that stays).
  if (p.peer_network && peer_n > 0) {
    const double mean = peer_sum / peer_n;
    for (std::uint32_t k = 0; k < c.created; ++k) {
      const std::uint32_t a = c.animator[k];
      if (!c.alive(k) || a == kNone || !m.trained[a]) continue;
      if (m.skill_anim[a] < mean)
        m.skill_anim[a] += static_cast<float>(p.peer_rate * (mean - m.skill_anim[a]));
    }
  }
  return tot;
}

}  // namespace cdpsim
