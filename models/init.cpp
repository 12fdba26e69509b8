#include "models/init.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include "models/cdp_creation.hpp"
#include "models/churn_recruitment.hpp"
#include "models/context.hpp"

namespace cdpsim {

namespace {

void init_territories(World& w, const Scenario& s) {
  Territories& t = w.territories;
  std::map<std::string, std::uint32_t> index;
  for (const TerritorySpec& ts : s.territories) {
    index[ts.name] = t.size();
    t.name.push_back(ts.name);
    t.competition.push_back(ts.competition);
    t.learning.push_back(ts.learning);
  }
  // Neighbours as CSR, made symmetric: a listed neighbour relation holds both ways.
  std::vector<std::vector<std::uint32_t>> adj(t.size());
  for (std::uint32_t k = 0; k < t.size(); ++k)
    for (const std::string& n : split_names(s.territories[k].neighbours)) {
      const std::uint32_t j = index.at(n);
      adj[k].push_back(j);
      adj[j].push_back(k);
    }
  t.nb_offset.assign(1, 0);
  for (auto& a : adj) {
    std::sort(a.begin(), a.end());
    a.erase(std::unique(a.begin(), a.end()), a.end());
    t.nb_target.insert(t.nb_target.end(), a.begin(), a.end());
    t.nb_offset.push_back(static_cast<std::uint32_t>(t.nb_target.size()));
  }
  t.flow_fx.assign(t.size(), 0);
  t.members.assign(t.size(), 0);
}

void init_organisations(World& w, const Scenario& s, const Effective& eff, const Rng& rng) {
  Organisations& o = w.orgs;
  const auto n = static_cast<std::uint32_t>(s.population.organisations);
  const OrgTimeParams& p = s.organisations;
  o.culture.resize(n);
  o.value_cdp.resize(n);
  o.workload.resize(n);
  o.exposure.resize(n);
  o.sector_frontline.resize(n);
  o.project_funded.resize(n);
  o.territory.resize(n);
  o.allow.assign(n, 0.0f);
  o.competition.assign(n, 0.0f);
  // Territories get organisations in proportion to their share (deterministic, stratified).
  double total = 0.0;
  for (const TerritorySpec& t : s.territories) total += t.share;
  for (std::uint32_t i = 0; i < n; ++i) {
    double x = (i + 0.5) / n * total;
    std::uint32_t ter = 0;
    for (; ter + 1 < s.territories.size(); ++ter) {
      if (x < s.territories[ter].share) break;
      x -= s.territories[ter].share;
    }
    o.territory[i] = ter;
    const Uniform4 u = rng.uniforms(stream::init_organisation, 0, i, 0);
    const Uniform4 v = rng.uniforms(stream::init_organisation, 0, i, 1);
    o.culture[i] = static_cast<float>(bounded_from(u.u[0], eff.culture_mean, p.culture_spread));
    o.value_cdp[i] = static_cast<float>(bounded_from(u.u[1], eff.value_cdp_mean, p.value_spread));
    o.workload[i] = static_cast<float>(bounded_from(u.u[2], p.workload_mean, p.workload_spread));
    o.exposure[i] = static_cast<float>(bounded_from(u.u[3], p.competition_exposure_mean, 0.8));
    o.sector_frontline[i] = v.u[0] < s.population.frontline_share ? 1 : 0;
    o.project_funded[i] = v.u[1] < s.population.project_funded_share ? 1 : 0;
  }
}

void init_platforms(World& w, const Scenario& s) {
  Platforms& P = w.platforms;
  for (const PlatformSpec& p : s.platforms) {
    P.name.push_back(p.name);
    P.share.push_back(p.share);
    P.usability.push_back(p.usability);
    P.openness.push_back(p.openness);
    P.interoperability.push_back(p.interoperability);
  }
  P.quality.assign(P.size(), 0.0);
  P.mass.assign(P.size(), 0.0);
  P.active_users.assign(P.size(), 0);
}

void allocate_members(Members& m, const Scenario& s) {
  m.capacity = static_cast<std::uint32_t>(s.population.potential_members);
  m.slots = static_cast<int>(s.population.max_memberships);
  const std::size_t n = m.capacity, ns = n * m.slots;
  m.org.assign(n, 0);
  m.time_budget.assign(n, 0.0f);
  m.threshold.assign(n, 0.0f);
  m.propensity.assign(n, 0.0f);
  m.skill_anim.assign(n, 0.0f);
  m.skill_digital.assign(n, 0.0f);
  m.trust.assign(n, 0.0f);
  m.burnout.assign(n, 0.0f);
  m.status.assign(n, static_cast<std::uint8_t>(MemberStatus::pool));
  m.trained.assign(n, 0);
  m.join_week.assign(n, -1);
  m.idle_since.assign(n, -1);
  m.contributions.assign(n, 0);
  m.slot_cdp.assign(ns, kNone);
  m.slot_eng.assign(ns, 0.0f);
  m.slot_since.assign(ns, 0);
  m.slot_tier.assign(ns, 0);
  m.slot_flags.assign(ns, 0);
}

void allocate_cdps(Cdps& c, const Scenario& s) {
  const auto n = static_cast<std::size_t>(s.population.max_cdps);
  c.capacity = static_cast<std::uint32_t>(n);
  c.phase.assign(n, static_cast<std::uint8_t>(Phase::dissolved));
  c.phase_entered.assign(n * kPhases, -1);
  c.theme_clarity.assign(n, 0.0f);
  c.autonomy.assign(n, 0.0f);
  c.inperson_share.assign(n, 0.0f);
  c.repertoire.assign(n, 0.0);
  c.maturity.assign(n, 0.0);
  c.animator.assign(n, kNone);
  c.territory.assign(n, 0);
  c.platform.assign(n, 0);
  c.birth_week.assign(n, -1);
  c.decline_weeks.assign(n, 0);
  c.quiet_weeks.assign(n, 0);
  c.last_support_week.assign(n, -1);
  c.support_weeks.assign(n, 0);
  c.mutual_aid.assign(n, 0);
  c.need_hours.assign(n, 0.0f);
  c.own_hours.assign(n, 0.0f);
  c.animation_quality.assign(n, 0.0f);
  c.support_given.assign(n, 0.0f);
  c.support_demand.assign(n, 0.0f);
  c.support_total.assign(n, 0.0);
  c.health.assign(n, 0.0f);
  c.members.assign(n, 0);
  c.active.assign(n, 0);
  c.core.assign(n, 0);
  c.contributions.assign(n, 0);
  c.inperson.assign(n, 0);
  c.online.assign(n, 0);
  c.shared_fx.assign(n, 0);
  c.best_core.assign(n, -1);
  c.links.assign(n, 0);
}

}  // namespace

World make_world(const Scenario& s, const Effective& eff, const Rng& rng) {
  World w;
  init_territories(w, s);
  init_organisations(w, s, eff, rng);
  init_platforms(w, s);
  allocate_members(w.members, s);
  allocate_cdps(w.cdps, s);

  const auto n0 = static_cast<std::uint32_t>(s.population.initial_members);
  const std::uint32_t n_org = w.orgs.size();
  for (std::uint32_t i = 0; i < n0; ++i) {
    const double u = rng.uniforms(stream::init_member, 0, i, 2).u[0];
    register_member(w, s, eff, rng, i, std::min(n_org - 1, static_cast<std::uint32_t>(u * n_org)),
                    0);
  }
  // Founders of the initial CdPs are members 0 .. initial_cdps-1; the rest join one CdP each.
  const StepContext ctx{s, eff, rng, 0, ShockEffects{}};
  const auto c0 = static_cast<std::uint32_t>(s.population.initial_cdps);
  for (std::uint32_t k = 0; k < c0; ++k) {
    create_cdp(w, ctx, k, false);
    w.cdps.birth_week[k] = -1;  // existed before the simulation starts
  }
  w.events.clear();  // initial CdPs are the starting state, not events
  CdpChooser chooser;
  chooser.build(w, s);
  const float e0 = static_cast<float>(s.engagement.initial);
  for (std::uint32_t i = c0; i < n0; ++i) {
    const double u = rng.uniforms(stream::init_member, 0, i, 2).u[1];
    const std::uint32_t c = chooser.pick(w.orgs.territory[w.members.org[i]], u);
    if (c != kNone) add_membership(w, i, c, e0, 0);
  }
  return w;
}

}  // namespace cdpsim
