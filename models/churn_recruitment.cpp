#include "models/churn_recruitment.hpp"

#include <algorithm>

#include "models/platform.hpp"

namespace cdpsim {

void CdpChooser::build(const World& w, const Scenario& s, double theme_shift) {
  const Cdps& c = w.cdps;
  alive_.clear();
  for (std::uint32_t k = 0; k < c.created; ++k)
    if (c.alive(k)) alive_.push_back(k);
  n_ = alive_.size();
  const std::uint32_t T = w.territories.size();
  cum_.assign(static_cast<std::size_t>(T) * n_, 0.0);
  const double gamma = s.recruitment.attractiveness_exponent;
  // The territory-free part of each weight once, not once per territory (same values).
  std::vector<double> base(n_);
  for (std::size_t j = 0; j < n_; ++j) {
    const std::uint32_t k = alive_[j];
    base[j] = std::pow(c.active[k] + 1.0, gamma) * (0.5 + shifted(c.theme_clarity[k], theme_shift));
  }
  for (std::uint32_t t = 0; t < T; ++t) {
    double acc = 0.0;
    for (std::size_t j = 0; j < n_; ++j) {
      const std::uint32_t k = alive_[j];
      double wgt = base[j];
      if (c.territory[k] == t) wgt *= s.recruitment.same_territory_bias;
      acc += wgt;
      cum_[t * n_ + j] = acc;
    }
  }
}

std::uint32_t CdpChooser::pick(std::uint32_t ter, double u) const {
  if (n_ == 0) return kNone;
  const double* row = cum_.data() + static_cast<std::size_t>(ter) * n_;
  const double target = u * row[n_ - 1];
  const auto it = std::upper_bound(row, row + n_, target);
  const std::size_t j = std::min<std::size_t>(static_cast<std::size_t>(it - row), n_ - 1);
  return alive_[j];
}

void register_member(World& w, const Scenario& s, const Effective& eff, const Rng& rng,
                     std::uint32_t id, std::uint32_t org, std::int32_t week) {
  Members& m = w.members;
  const PopulationParams& pp = s.population;
  const Uniform4 a = rng.uniforms(stream::init_member, 0, id, 0);
  const Uniform4 b = rng.uniforms(stream::init_member, 0, id, 1);
  m.org[id] = org;
  m.time_budget[id] =
      static_cast<float>(pp.time_budget_min + a.u[0] * (pp.time_budget_max - pp.time_budget_min));
  m.threshold[id] = static_cast<float>(s.participation.threshold_mean +
                                       s.participation.threshold_sd * normal_from(a.u[1], a.u[2]));
  const double sig = s.participation.propensity_sigma;
  m.propensity[id] =
      static_cast<float>(std::exp(sig * normal_from(a.u[3], b.u[0]) - 0.5 * sig * sig));
  m.skill_anim[id] = static_cast<float>(bounded_from(b.u[1], pp.skill_animation_mean, 0.9));
  m.skill_digital[id] = static_cast<float>(bounded_from(b.u[2], pp.skill_digital_mean, 0.9));
  m.trust[id] =
      static_cast<float>(bounded_from(b.u[3], eff.trust_mean, s.sharing.initial_trust_spread));
  m.burnout[id] = 0.0f;
  m.status[id] = static_cast<std::uint8_t>(MemberStatus::registered);
  m.trained[id] = 0;
  m.join_week[id] = week;
  m.idle_since[id] = week;
  m.contributions[id] = 0;
  const std::size_t base = static_cast<std::size_t>(id) * m.slots;
  for (int k = 0; k < m.slots; ++k) {
    m.slot_cdp[base + k] = kNone;
    m.slot_eng[base + k] = 0.0f;
    m.slot_since[base + k] = 0;
    m.slot_tier[base + k] = 0;
    m.slot_flags[base + k] = 0;
  }
  if (id >= m.created) m.created = id + 1;
}

bool add_membership(World& w, std::uint32_t i, std::uint32_t c, float engagement,
                    std::int32_t week) {
  Members& m = w.members;
  const std::size_t base = static_cast<std::size_t>(i) * m.slots;
  int free_slot = -1;
  for (int k = 0; k < m.slots; ++k) {
    if (m.slot_cdp[base + k] == c) return false;
    if (m.slot_cdp[base + k] == kNone && free_slot < 0) free_slot = k;
  }
  if (free_slot < 0) return false;
  const std::size_t sl = base + free_slot;
  m.slot_cdp[sl] = c;
  m.slot_eng[sl] = engagement;
  m.slot_since[sl] = week;
  m.slot_tier[sl] = 0;
  m.slot_flags[sl] = 0;
  m.idle_since[i] = -1;
  return true;
}

std::uint32_t recruit(World& w, const StepContext& ctx, const CdpChooser& chooser) {
  const RecruitmentParams& p = ctx.s.recruitment;
  Members& m = w.members;
  if (m.created >= m.capacity) return 0;
  const double mass = mean_platform_mass(w);
  const double openness = mean_platform_openness(w);
  const double rate = p.launch_rate * std::exp(-ctx.week / p.launch_decay_weeks) +
                      p.base_rate * (1.0 + p.mass_boost * mass + p.openness_boost * openness) *
                          ctx.shock.online_multiplier;
  const Uniform4 u = ctx.rng.uniforms(stream::recruitment, ctx.week, 0, 0);
  int n = poisson_from(u.u[0], rate, u.u[1], u.u[2]);
  n = std::min<int>(n, static_cast<int>(m.capacity - m.created));
  const float e0 = static_cast<float>(ctx.s.engagement.initial);
  for (int j = 0; j < n; ++j) {
    const std::uint32_t id = m.created;
    const Uniform4 c = ctx.rng.uniforms(stream::recruitment, ctx.week, id, 1);
    const std::uint32_t org =
        std::min(w.orgs.size() - 1, static_cast<std::uint32_t>(c.u[0] * w.orgs.size()));
    register_member(w, ctx.s, ctx.eff, ctx.rng, id, org, ctx.week);
    const std::uint32_t cdp = chooser.pick(w.orgs.territory[org], c.u[1]);
    if (cdp != kNone) add_membership(w, id, cdp, e0, ctx.week);
  }
  return static_cast<std::uint32_t>(n);
}

}  // namespace cdpsim
