#include "models/cdp_creation.hpp"

#include <algorithm>
#include <string>

#include "models/churn_recruitment.hpp"

namespace cdpsim {

std::uint32_t create_cdp(World& w, const StepContext& ctx, std::uint32_t founder, bool mutual_aid) {
  Cdps& c = w.cdps;
  if (c.created >= c.capacity) return kNone;
  const std::uint32_t k = c.created++;
  const Uniform4 u = ctx.rng.uniforms(stream::init_cdp, 0, k, 0);
  const Uniform4 v = ctx.rng.uniforms(stream::init_cdp, 0, k, 1);
  c.phase[k] = static_cast<std::uint8_t>(Phase::potential);
  c.phase_entered[std::size_t{k} * kPhases + static_cast<int>(Phase::potential)] = ctx.week;
  c.theme_clarity[k] =
      static_cast<float>(mutual_aid ? std::max(ctx.eff.theme_mean, 0.7)
                                    : bounded_from(u.u[0], ctx.eff.theme_mean, 0.8));
  c.autonomy[k] = static_cast<float>(bounded_from(u.u[1], ctx.eff.autonomy_mean, 0.8));
  c.inperson_share[k] = static_cast<float>(
      mutual_aid ? 0.0 : bounded_from(u.u[2], 1.0 - ctx.s.platform.online_share_mean, 0.8));
  c.repertoire[k] = 0.0;
  c.maturity[k] = 0.0;
  c.animator[k] = founder;
  // Platform by share.
  const Platforms& P = w.platforms;
  double tot = 0.0;
  for (double s : P.share) tot += s;
  double x = u.u[3] * tot;
  std::uint32_t pl = 0;
  for (; pl + 1 < P.size(); ++pl) {
    if (x < P.share[pl]) break;
    x -= P.share[pl];
  }
  c.platform[k] = pl;
  c.territory[k] = founder != kNone
                       ? w.orgs.territory[w.members.org[founder]]
                       : std::min(w.territories.size() - 1,
                                  static_cast<std::uint32_t>(v.u[0] * w.territories.size()));
  c.birth_week[k] = ctx.week;
  c.decline_weeks[k] = 0;
  c.quiet_weeks[k] = 0;
  c.last_support_week[k] = -1;
  c.support_weeks[k] = 0;
  c.mutual_aid[k] = mutual_aid ? 1 : 0;
  c.animation_quality[k] = 0.0f;
  c.support_given[k] = c.support_demand[k] = 0.0f;
  c.support_total[k] = 0.0;
  c.health[k] = 0.0f;
  c.members[k] = c.active[k] = c.core[k] = c.contributions[k] = 0;
  c.inperson[k] = c.online[k] = 0;
  c.shared_fx[k] = 0;
  c.best_core[k] = -1;
  c.links[k] = 0;
  c.need_hours[k] = c.own_hours[k] = 0.0f;
  if (founder != kNone)
    add_membership(w, founder, k, static_cast<float>(ctx.s.engagement.core_threshold), ctx.week);
  w.events.push_back({ctx.week, EventKind::cdp_created, static_cast<std::int32_t>(k),
                      mutual_aid ? "mutual aid" : "spontaneous"});
  return k;
}

namespace {

// A registered member with a free slot, by probing from a random id; kNone if none found.
std::uint32_t find_founder(const World& w, double u) {
  const Members& m = w.members;
  if (m.created == 0) return kNone;
  const auto start = std::min(m.created - 1, static_cast<std::uint32_t>(u * m.created));
  for (std::uint32_t step = 0; step < 64 && step < m.created; ++step) {
    const std::uint32_t i = (start + step) % m.created;
    if (m.status[i] != static_cast<std::uint8_t>(MemberStatus::registered)) continue;
    const std::size_t base = static_cast<std::size_t>(i) * m.slots;
    for (int k = 0; k < m.slots; ++k)
      if (m.slot_cdp[base + k] == kNone) return i;
  }
  return kNone;
}

}  // namespace

std::uint32_t create_cdps(World& w, const StepContext& ctx, std::int64_t active_members) {
  const RecruitmentParams& p = ctx.s.recruitment;
  const double spont = p.cdp_base_rate + p.cdp_rate_per_1000 * active_members / 1000.0;
  const Uniform4 u = ctx.rng.uniforms(stream::cdp_creation, ctx.week, 0, 0);
  const int n_spont = poisson_from(u.u[0], spont, u.u[1], u.u[2]);
  const Uniform4 u2 = ctx.rng.uniforms(stream::cdp_creation, ctx.week, 0, 1);
  const int n_aid = poisson_from(u2.u[0], ctx.shock.mutual_aid_rate, u2.u[1], u2.u[2]);
  std::uint32_t made = 0;
  for (int j = 0; j < n_spont + n_aid; ++j) {
    const Uniform4 f = ctx.rng.uniforms(stream::cdp_creation, ctx.week, 1 + j, 0);
    const std::uint32_t founder = find_founder(w, f.u[0]);
    if (create_cdp(w, ctx, founder, j >= n_spont) == kNone) break;
    ++made;
  }
  return made;
}

}  // namespace cdpsim
