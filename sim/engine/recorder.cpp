#include "sim/engine/recorder.hpp"

#include <cdpsim/version.hpp>
#include <functional>

#include "sim/io/nc_writer.hpp"

namespace cdpsim {

void Recorder::record(const WeekRecord& r, const World& w) {
  weeks_.push_back(r);
  if (!per_cdp_) return;
  const Cdps& c = w.cdps;
  const std::uint32_t C = c.created;
  cdp_members_.emplace_back(c.members.begin(), c.members.begin() + C);
  cdp_active_.emplace_back(c.active.begin(), c.active.begin() + C);
  auto& ph = cdp_phase_.emplace_back(C);
  auto& rep = cdp_repertoire_.emplace_back(C);
  auto& sup = cdp_support_.emplace_back(C);
  for (std::uint32_t k = 0; k < C; ++k) {
    ph[k] = static_cast<std::int8_t>(c.phase[k]);
    rep[k] = static_cast<float>(c.repertoire[k]);
    sup[k] = c.support_given[k];
  }
}

namespace {

using io::Attr;

template <class T, class Row>
std::vector<T> pad_rows(const std::vector<Row>& rows, std::size_t width, T fill) {
  std::vector<T> out(rows.size() * width, fill);
  for (std::size_t t = 0; t < rows.size(); ++t)
    std::copy(rows[t].begin(), rows[t].end(), out.begin() + t * width);
  return out;
}

std::vector<Attr> meta(const char* units, const char* long_name) {
  return {{"units", std::string(units)}, {"long_name", std::string(long_name)}};
}

}  // namespace

void Recorder::write(const std::filesystem::path& path, const Scenario& s, const World& w,
                     const RunMeta& m) const {
  io::NcWriter f(path);
  const std::size_t W = weeks_.size();
  std::vector<std::int32_t> week(W), days(W);
  for (std::size_t t = 0; t < W; ++t) {
    week[t] = weeks_[t].week;
    days[t] = 7 * weeks_[t].week;
  }
  f.add_coordinate("week", std::span<const std::int32_t>(week),
                   meta("week", "weeks since the scenario's start date"));
  f.add_coordinate("phase", std::vector<std::string>(kPhaseNames.begin(), kPhaseNames.end()),
                   {{"long_name", std::string("CdP lifecycle phase")}});
  f.add_coordinate("tier", std::vector<std::string>(kTierNames.begin(), kTierNames.end()),
                   {{"long_name", std::string("participation tier")}});
  f.add_coordinate("territory", w.territories.name, {{"long_name", std::string("territory")}});
  f.add_coordinate("platform", w.platforms.name, {{"long_name", std::string("digital platform")}});

  const std::string start = s.simulation.start_date.to_string();
  f.write<std::int32_t>("date", {"week"}, days,
                        {{"units", "days since " + start},
                         {"calendar", std::string("proleptic_gregorian")},
                         {"long_name", std::string("calendar date of the week's Monday")}});

  auto series_i = [&](const char* name, const char* units, const char* ln,
                      const std::function<std::int64_t(const WeekRecord&)>& get) {
    std::vector<std::int64_t> v(W);
    for (std::size_t t = 0; t < W; ++t) v[t] = get(weeks_[t]);
    f.write<std::int64_t>(name, {"week"}, v, meta(units, ln));
  };
  auto series_d = [&](const char* name, const char* units, const char* ln,
                      const std::function<double(const WeekRecord&)>& get) {
    std::vector<double> v(W);
    for (std::size_t t = 0; t < W; ++t) v[t] = get(weeks_[t]);
    f.write<double>(name, {"week"}, v, meta(units, ln));
  };
  // clang-format off
  series_i("members_total", "members", "registered members", [](auto& r) { return r.members_total; });
  series_i("members_active", "members", "members who took part in at least one CdP this week", [](auto& r) { return r.members_active; });
  series_i("cdps_alive", "CdPs", "CdPs not dissolved", [](auto& r) { return r.cdps_alive; });
  series_d("engagement_mean", "1", "mean engagement over memberships", [](auto& r) { return r.engagement_mean; });
  series_i("interactions_inperson", "participations/week", "participations in person", [](auto& r) { return r.interactions_inperson; });
  series_i("interactions_online", "participations/week", "participations online", [](auto& r) { return r.interactions_online; });
  series_i("contributions", "posts/week", "contributions (posts, documents, replies)", [](auto& r) { return r.contributions; });
  series_d("knowledge_stock", "repertoire units", "sum of repertoires of alive CdPs", [](auto& r) { return r.knowledge_stock; });
  series_i("boundary_objects", "objects", "boundary objects created since week 0 (cumulative)", [](auto& r) { return r.boundary_objects; });
  series_d("support_hours_demanded", "h/week", "support hours CdPs asked for", [](auto& r) { return r.support_hours_demanded; });
  series_d("support_hours_given", "h/week", "support hours the support team gave", [](auto& r) { return r.support_hours_given; });
  series_i("platform_active_users", "members", "members active online, all platforms", [](auto& r) { return r.platform_active_users; });
  series_d("sharing_rate", "1", "share of contributions shared across organisations (competition-damped)", [](auto& r) { return r.sharing_rate; });
  series_i("bridging_ties", "CdP pairs", "distinct CdP pairs sharing an active member this week", [](auto& r) { return r.bridging_pairs; });
  series_i("linked_pairs", "CdP pairs", "distinct CdP pairs linked by shared members or cross-posts", [](auto& r) { return r.linked_pairs; });
  series_i("cross_posts", "posts/week", "contributions cross-posted to another CdP", [](auto& r) { return r.cross_posts; });
  series_i("newcomer_first_posts", "members/week", "newcomers posting for the first time", [](auto& r) { return r.newcomer_first_posts; });
  series_i("newcomer_replies", "members/week", "first posts that got a reply", [](auto& r) { return r.newcomer_replies; });
  series_i("newcomer_returns", "members/week", "newcomers who returned after their first post", [](auto& r) { return r.newcomer_returns; });
  series_i("newcomer_returns_replied", "members/week", "newcomers who returned after a reply", [](auto& r) { return r.newcomer_returns_replied; });
  series_i("bridging_joins", "memberships/week", "CdPs joined by members already in another CdP (new bridging ties)", [](auto& r) { return r.bridging_joins; });
  series_i("nonparticipation_no_time", "membership-weeks", "memberships not taken up this week for lack of time", [](auto& r) { return r.nonparticipation_no_time; });
  series_i("nonparticipation_declined", "membership-weeks", "memberships not taken up although time was left (benefit under threshold)", [](auto& r) { return r.nonparticipation_declined; });
  series_i("registrations", "members/week", "new registrations", [](auto& r) { return r.registrations; });
  series_i("cdps_created", "CdPs/week", "CdPs created", [](auto& r) { return r.cdps_created; });
  series_i("cdps_dissolved", "CdPs/week", "CdPs dissolved", [](auto& r) { return r.cdps_dissolved; });
  series_i("animators", "members", "alive CdPs with an animator", [](auto& r) { return r.animators; });
  series_d("pandemic", "1", "pandemic intensity in force", [](auto& r) { return r.pandemic; });
  // clang-format on

  std::vector<std::int64_t> by_phase(W * kPhases), by_tier(W * kTiers), ms_tier(W * kTiers);
  const std::size_t T = w.territories.size(), P = w.platforms.size();
  std::vector<double> learning(W * T);
  std::vector<std::int64_t> users(W * P);
  for (std::size_t t = 0; t < W; ++t) {
    for (int k = 0; k < kPhases; ++k) by_phase[t * kPhases + k] = weeks_[t].cdps_by_phase[k];
    for (int k = 0; k < kTiers; ++k) {
      by_tier[t * kTiers + k] = weeks_[t].members_by_tier[k];
      ms_tier[t * kTiers + k] = weeks_[t].memberships_by_tier[k];
    }
    for (std::size_t k = 0; k < T; ++k) learning[t * T + k] = weeks_[t].territory_learning[k];
    for (std::size_t k = 0; k < P; ++k) users[t * P + k] = weeks_[t].platform_users[k];
  }
  f.write<std::int64_t>("cdps_by_phase", {"week", "phase"}, by_phase,
                        meta("CdPs", "CdPs in each phase (dissolved: cumulative)"));
  f.write<std::int64_t>("members_by_tier", {"week", "tier"}, by_tier,
                        meta("members", "registered members by their highest tier"));
  f.write<std::int64_t>("memberships_by_tier", {"week", "tier"}, ms_tier,
                        meta("memberships", "memberships by tier (Wenger's tiers within CdPs)"));
  f.write<double>("territory_learning", {"week", "territory"}, learning,
                  meta("1", "learning capacity of each territory"));
  f.write<std::int64_t>("platform_users", {"week", "platform"}, users,
                        meta("members", "members active online on each platform"));

  // CdPs ever created, with static attributes and (optionally) their weekly series.
  const std::uint32_t C = w.cdps.created;
  std::vector<std::int32_t> ids(C);
  for (std::uint32_t k = 0; k < C; ++k) ids[k] = static_cast<std::int32_t>(k);
  f.add_coordinate("cdp", std::span<const std::int32_t>(ids), meta("1", "CdP id"));
  const Cdps& c = w.cdps;
  auto cdp_attr = [&](const char* name, const char* units, const char* ln, auto get) {
    using V = decltype(get(0u));
    std::vector<V> v(C);
    for (std::uint32_t k = 0; k < C; ++k) v[k] = get(k);
    f.write<V>(name, {"cdp"}, v, meta(units, ln));
  };
  cdp_attr("cdp_birth_week", "week", "week the CdP was created (-1: existed at the start)",
           [&](std::uint32_t k) { return c.birth_week[k]; });
  cdp_attr("cdp_territory", "1", "territory index", [&](std::uint32_t k) {
    return static_cast<std::int32_t>(c.territory[k]);
  });
  cdp_attr("cdp_platform", "1", "platform index",
           [&](std::uint32_t k) { return static_cast<std::int32_t>(c.platform[k]); });
  cdp_attr("cdp_mutual_aid", "1", "1 for a mutual-aid CdP of the pandemic burst",
           [&](std::uint32_t k) { return static_cast<std::int8_t>(c.mutual_aid[k]); });
  cdp_attr("cdp_last_support_week", "week", "last week the CdP got support (-1: never)",
           [&](std::uint32_t k) { return c.last_support_week[k]; });
  cdp_attr("cdp_support_total", "h", "support hours received over the run",
           [&](std::uint32_t k) { return c.support_total[k]; });
  cdp_attr("cdp_autonomy", "1", "autonomy at the end of the run",
           [&](std::uint32_t k) { return static_cast<double>(c.autonomy[k]); });
  if (per_cdp_) {
    f.write<std::int32_t>("cdp_members", {"week", "cdp"}, pad_rows<std::int32_t>(cdp_members_, C, 0),
                          meta("members", "members of each CdP (0 before creation)"));
    f.write<std::int32_t>("cdp_active_members", {"week", "cdp"},
                          pad_rows<std::int32_t>(cdp_active_, C, 0),
                          meta("members", "members who took part this week"));
    f.write<std::int8_t>("cdp_phase", {"week", "cdp"}, pad_rows<std::int8_t>(cdp_phase_, C, -1),
                         {{"units", std::string("1")},
                          {"long_name", std::string("phase index into the phase coordinate "
                                                    "(-1 before creation)")}});
    f.write<float>("cdp_repertoire", {"week", "cdp"}, pad_rows<float>(cdp_repertoire_, C, 0.0f),
                   meta("repertoire units", "codified knowledge of each CdP"));
    f.write<float>("cdp_support_hours", {"week", "cdp"}, pad_rows<float>(cdp_support_, C, 0.0f),
                   meta("h/week", "support hours received"));
  }

  if (s.output.per_member) {
    const Members& mb = w.members;
    const std::uint32_t M = mb.created;
    std::vector<std::int32_t> mid(M), org(M), ter(M), jw(M);
    std::vector<std::uint32_t> contrib(M);
    std::vector<std::int8_t> status(M);
    for (std::uint32_t i = 0; i < M; ++i) {
      mid[i] = static_cast<std::int32_t>(i);
      org[i] = static_cast<std::int32_t>(mb.org[i]);
      ter[i] = static_cast<std::int32_t>(w.orgs.territory[mb.org[i]]);
      jw[i] = mb.join_week[i];
      contrib[i] = mb.contributions[i];
      status[i] = static_cast<std::int8_t>(mb.status[i]);
    }
    f.add_coordinate("member", std::span<const std::int32_t>(mid), meta("1", "member id"));
    f.write<std::uint32_t>("member_contributions", {"member"}, contrib,
                           meta("posts", "contributions over the run"));
    f.write<std::int32_t>("member_organisation", {"member"}, org, meta("1", "organisation index"));
    f.write<std::int32_t>("member_territory", {"member"}, ter, meta("1", "territory index"));
    f.write<std::int32_t>("member_join_week", {"member"}, jw, meta("week", "registration week"));
    f.write<std::int8_t>("member_status", {"member"}, status,
                         meta("1", "1 registered, 2 left the ecosystem"));
  }

  if (s.output.events) {
    const std::size_t E = w.events.size();
    f.add_dimension("event", E);
    std::vector<std::int32_t> ew(E), ec(E);
    std::vector<std::int8_t> ek(E);
    std::vector<std::string> ed(E);
    for (std::size_t i = 0; i < E; ++i) {
      ew[i] = w.events[i].week;
      ek[i] = static_cast<std::int8_t>(w.events[i].kind);
      ec[i] = w.events[i].cdp;
      ed[i] = w.events[i].detail;
    }
    std::string kinds;
    for (std::size_t i = 0; i < kEventNames.size(); ++i)
      kinds += (i ? " " : "") + std::to_string(i) + "=" + std::string(kEventNames[i]);
    f.write<std::int32_t>("event_week", {"event"}, ew, meta("week", "week of the event"));
    f.write<std::int8_t>("event_kind", {"event"}, ek,
                         {{"long_name", std::string("kind of event")},
                          {"flag_meanings", kinds}});
    f.write<std::int32_t>("event_cdp", {"event"}, ec, meta("1", "CdP concerned (-1: none)"));
    f.write_strings("event_detail", "event", ed, {{"long_name", std::string("details")}});
  }

  f.set_attribute({"title", "cdpsim run: " + s.simulation.name});
  f.set_attribute({"Conventions", std::string("CF-1.8")});
  f.set_attribute({"cdpsim_version", std::string(version)});
  f.set_attribute({"output_kind", std::string("run")});
  f.set_attribute({"scenario_name", s.simulation.name});
  f.set_attribute({"scenario_toml", resolved_toml(s)});
  f.set_attribute({"start_date", start});
  f.set_attribute({"seed", static_cast<std::int64_t>(m.seed)});
  f.set_attribute({"status", m.status});
  f.set_attribute({"weeks_completed", static_cast<std::int64_t>(W)});
  f.set_attribute({"weeks_planned", static_cast<std::int64_t>(m.weeks_planned)});
  f.close();
}

}  // namespace cdpsim
