#include "models/animation.hpp"

#include <algorithm>
#include <string>

namespace cdpsim {

namespace {

bool is_member_of(const Members& m, std::uint32_t i, std::uint32_t c) {
  const std::size_t base = static_cast<std::size_t>(i) * m.slots;
  for (int k = 0; k < m.slots; ++k)
    if (m.slot_cdp[base + k] == c) return true;
  return false;
}

}  // namespace

void update_animation(World& w, const StepContext& ctx) {
  const AnimationParams& p = ctx.s.animation;
  Cdps& c = w.cdps;
  Members& m = w.members;
  const double h_anim = ctx.eff.animator_hours;
  // Serial over CdPs: an animator may lead several CdPs, and burnout is per person.
  for (std::uint32_t k = 0; k < c.created; ++k) {
    if (!c.alive(k)) continue;
    const Uniform4 u = ctx.rng.uniforms(stream::animation, ctx.week, k);
    std::uint32_t a = c.animator[k];
    const bool had_animator = (a != kNone);
    if (a != kNone && (m.status[a] != static_cast<std::uint8_t>(MemberStatus::registered) ||
                       !is_member_of(m, a, k))) {
      a = kNone;
    }
    if (a != kNone && h_anim > 0) {
      const double allowed = p.animator_budget * w.orgs.allow[m.org[a]];
      const double over = std::max(0.0, h_anim - allowed) / h_anim;
      const double recovery =
          p.recovery_rate * ((ctx.s.support.peer_network && m.trained[a]) ? 1.5 : 1.0);
      m.burnout[a] =
          static_cast<float>(std::max(0.0, m.burnout[a] + p.burnout_rate * over - recovery));
      m.skill_anim[a] += static_cast<float>(p.practice_gain * (1.0 - m.skill_anim[a]));
      if (m.burnout[a] >= 1.0f) {
        m.burnout[a] = 0.5f;
        w.events.push_back({ctx.week, EventKind::animator_burnout, static_cast<std::int32_t>(k),
                            "animator " + std::to_string(a) + " stepped down"});
        a = kNone;
      }
    }
    const bool vacant = (a == kNone);
    if (vacant) {
      // Shared leadership: a core member takes over at once after a departure, or steps up later.
      const double chance = had_animator ? ctx.eff.succession_prob : ctx.eff.succession_prob / 10.0;
      const std::int64_t cand = c.best_core[k];
      const auto who = static_cast<std::uint32_t>(cand & 0xFFFFFFFF);
      if (cand >= 0 && who != c.animator[k] && u.u[0] < chance &&
          m.status[who] == static_cast<std::uint8_t>(MemberStatus::registered) &&
          is_member_of(m, who, k)) {
        a = who;
        w.events.push_back({ctx.week, EventKind::animator_succession, static_cast<std::int32_t>(k),
                            "member " + std::to_string(a)});
      }
      c.animator[k] = a;
    }
    c.need_hours[k] = static_cast<float>(p.need_base + p.need_per_active * c.active[k]);
    double own = ctx.eff.core_help_hours * c.core[k];
    if (a != kNone) own += h_anim * (0.3 + 0.7 * m.skill_anim[a]);
    c.own_hours[k] = static_cast<float>(own);
  }
}

}  // namespace cdpsim
