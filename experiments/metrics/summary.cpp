#include "experiments/metrics/summary.hpp"

#include <stdexcept>

namespace cdpsim {

RunSummary simulate_summary(const Scenario& s, std::uint64_t seed, std::int64_t weeks,
                            const std::function<void(const World&)>& observe) {
  RunSummary r;
  const std::int64_t n = weeks >= 0 ? weeks : s.simulation.weeks;
  Simulation sim(s, seed);
  r.weeks.reserve(static_cast<std::size_t>(n));
  if (observe) observe(sim.world());
  for (std::int64_t t = 0; t < n; ++t) {
    r.weeks.push_back(sim.step());
    if (observe) observe(sim.world());
  }
  const World& w = sim.world();
  const Cdps& c = w.cdps;
  r.cdps.resize(c.created);
  for (std::uint32_t k = 0; k < c.created; ++k) {
    CdpFinal& f = r.cdps[k];
    f.birth_week = c.birth_week[k];
    f.last_support_week = c.last_support_week[k];
    f.phase = c.phase[k];
    f.members = c.members[k];
    f.active = c.active[k];
    f.support_total = c.support_total[k];
    f.repertoire = c.repertoire[k];
    f.autonomy = c.autonomy[k];
    f.mutual_aid = c.mutual_aid[k] != 0;
  }
  for (const Event& e : w.events) {
    if (e.kind != EventKind::phase_change || e.cdp < 0) continue;
    const bool up = e.detail.ends_with("-> maturing") || e.detail.ends_with("-> stewardship");
    std::int32_t& mw = r.cdps[static_cast<std::size_t>(e.cdp)].maturing_week;
    if (up && mw < 0) mw = e.week;
  }
  r.member_contributions.assign(w.members.contributions.begin(),
                                w.members.contributions.begin() + w.members.created);
  return r;
}

const std::vector<MetricInfo>& metric_catalogue() {
  static const std::vector<MetricInfo> m = {
      {"cdps_alive", "CdPs", "CdPs not dissolved at the last week"},
      {"cdps_autonomous", "CdPs",
       "CdPs supported at some point, whose support ended at least 26 weeks before the last week, "
       "and that still have active members"},
      {"members_active", "members", "members active in the last week"},
      {"knowledge_stock", "repertoire units", "sum of the repertoires of alive CdPs"},
      {"boundary_objects", "objects", "boundary objects created over the run"},
      {"support_hours_per_surviving_cdp", "h/CdP",
       "support hours given over the run per CdP alive at the last week (what an hour buys)"},
      {"members_total", "members", "registered members at the last week"},
      {"contributions_total", "posts", "contributions over the run"},
      {"support_hours_given", "h", "support hours given over the run"},
      {"engagement_mean", "1", "mean engagement over memberships at the last week"},
      {"sharing_rate", "1", "share of contributions shared, over the run"},
      {"interactions_inperson", "participations", "in-person participations over the run"},
      {"interactions_online", "participations", "online participations over the run"},
      {"cdps_created", "CdPs", "CdPs created over the run, initial ones included"},
  };
  return m;
}

double metric_value(const RunSummary& r, std::string_view name) {
  if (r.weeks.empty()) throw std::invalid_argument("metric of a run without weeks");
  const WeekRecord& last = r.weeks.back();
  const std::int32_t horizon = last.week;
  auto sum = [&](auto f) {
    double s = 0;
    for (const WeekRecord& w : r.weeks) s += f(w);
    return s;
  };
  if (name == "cdps_alive") return static_cast<double>(last.cdps_alive);
  if (name == "cdps_autonomous") {
    double n = 0;
    for (const CdpFinal& c : r.cdps)
      if (c.last_support_week >= 0 && c.last_support_week <= horizon - kAutonomyWeeks &&
          c.phase != static_cast<std::uint8_t>(Phase::dissolved) && c.active > 0)
        n += 1;
    return n;
  }
  if (name == "members_active") return static_cast<double>(last.members_active);
  if (name == "knowledge_stock") return last.knowledge_stock;
  if (name == "boundary_objects") return static_cast<double>(last.boundary_objects);
  if (name == "support_hours_per_surviving_cdp") {
    const double given = sum([](const WeekRecord& w) { return w.support_hours_given; });
    return last.cdps_alive > 0 ? given / static_cast<double>(last.cdps_alive) : 0.0;
  }
  if (name == "members_total") return static_cast<double>(last.members_total);
  if (name == "contributions_total")
    return sum([](const WeekRecord& w) { return static_cast<double>(w.contributions); });
  if (name == "support_hours_given")
    return sum([](const WeekRecord& w) { return w.support_hours_given; });
  if (name == "engagement_mean") return last.engagement_mean;
  if (name == "sharing_rate") {
    const double c = sum([](const WeekRecord& w) { return static_cast<double>(w.contributions); });
    const double s = sum([](const WeekRecord& w) { return w.sharing_rate * w.contributions; });
    return c > 0 ? s / c : 0.0;
  }
  if (name == "interactions_inperson")
    return sum([](const WeekRecord& w) { return static_cast<double>(w.interactions_inperson); });
  if (name == "interactions_online")
    return sum([](const WeekRecord& w) { return static_cast<double>(w.interactions_online); });
  if (name == "cdps_created") return static_cast<double>(r.cdps.size());
  std::string allowed;
  for (const MetricInfo& m : metric_catalogue())
    allowed += (allowed.empty() ? "" : ", ") + std::string(m.name);
  throw std::invalid_argument("unknown metric '" + std::string(name) + "' (allowed: " + allowed +
                              ")");
}

}  // namespace cdpsim
