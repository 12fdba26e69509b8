#include "app/explore/views.hpp"

#include <algorithm>
#include <exception>
#include <unordered_map>

#include "experiments/scenario_io.hpp"
#include "experiments/text/catalogue.hpp"
#include "models/interventions.hpp"
#include "models/types.hpp"

namespace cdpsim::app::explore {

using nlohmann::json;

std::vector<Preset> find_presets(const std::filesystem::path& dir, std::int64_t max_members) {
  std::vector<Preset> out;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return out;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".toml") continue;
    try {
      const Scenario s = load_scenario(e.path());
      Preset p{e.path().stem().string(), e.path(), s.simulation.question,
               s.population.potential_members, s.population.potential_members > max_members};
      out.push_back(std::move(p));
    } catch (const std::exception&) {  // a file that does not load is no preset
    }
  }
  std::sort(out.begin(), out.end(), [](const Preset& a, const Preset& b) {
    if ((a.id == "passerelles") != (b.id == "passerelles")) return a.id == "passerelles";
    return a.id < b.id;
  });
  return out;
}

namespace {

// The choices and range of a mid-run key as the schema lists them (models/params.hpp).
json key_json(const MidRunKey& k) {
  Scenario s;
  const Schema schema = make_schema(s);
  json out = {{"key", k.key}};
  if (const FieldSlot* f = find_slot(schema, k.key)) {
    out["min"] = f->meta.min;
    out["max"] = f->meta.max;
    out["unit"] = f->meta.unit;
    out["doc"] = f->meta.doc;
    json choices = json::array();
    for (auto c : f->meta.choices) choices.push_back(c);
    out["choices"] = choices;
  }
  return out;
}

}  // namespace

json meta_json(const std::vector<Preset>& presets, std::int64_t max_members, int max_speed,
               int max_redraw) {
  json levers = json::array();
  for (int i = 0; i < kLevers; ++i) {
    const LeverInfo& l = kLeverInfo[static_cast<std::size_t>(i)];
    levers.push_back({{"key", l.key},
                      {"group", l.group},
                      {"en", l.english},
                      {"fr", l.french},
                      {"moves", l.moves},
                      {"moves_fr", lever_moves(i, Lang::fr)},
                      {"reference", 0.5},
                      {"min", 0.0},
                      {"max", 1.0}});
  }
  json groups = json::array();
  for (const LeverInfo& l : kLeverInfo)
    if (groups.empty() || groups.back() != l.group) groups.push_back(l.group);
  json phases = json::array();
  for (int p = 0; p < kPhases; ++p)
    phases.push_back({{"key", kPhaseNames[static_cast<std::size_t>(p)]},
                      {"en", phase_name(p, Lang::en)},
                      {"fr", phase_name(p, Lang::fr)}});
  json tiers = json::array();
  for (const auto& t : kTierNames) tiers.push_back(t);
  json keys = json::array();
  for (const MidRunKey& k : mid_run_keys()) keys.push_back(k.key);
  const json mode = key_json(*find_mid_run_key("support.mode"));
  const json hours = key_json(*find_mid_run_key("support.capacity_hours"));
  json ps = json::array();
  for (const Preset& p : presets)
    ps.push_back({{"id", p.id},
                  {"question", p.question},
                  {"potential_members", p.potential_members},
                  {"too_large", p.too_large}});
  json events = json::array();
  for (const auto& e : kEventNames) events.push_back(e);
  return {{"levers", levers},
          {"groups", groups},
          {"phases", phases},
          {"tiers", tiers},
          {"support_mode", mode},
          {"support_capacity_hours", hours},
          {"mid_run_keys", keys},
          {"event_kinds", events},
          {"presets", ps},
          {"limits",
           {{"max_potential_members", max_members},
            {"max_speed", max_speed},
            {"max_redraw", max_redraw}}}};
}

json week_json(const WeekRecord& r) {
  return {{"w", r.week},
          {"mt", r.members_total},
          {"ma", r.members_active},
          {"ca", r.cdps_alive},
          {"ph", r.cdps_by_phase},
          {"ti", r.members_by_tier},
          {"ip", r.interactions_inperson},
          {"on", r.interactions_online},
          {"ks", r.knowledge_stock},
          {"bo", r.boundary_objects},
          {"sd", r.support_hours_demanded},
          {"sg", r.support_hours_given},
          {"pd", r.pandemic},
          {"tl", r.territory_learning}};
}

json settings_json(const Scenario& now) {
  json levers = json::object();
  Levers l = now.levers;
  const auto p = l.by_index();
  for (int i = 0; i < kLevers; ++i)
    levers[std::string(kLeverInfo[static_cast<std::size_t>(i)].key)] =
        *p[static_cast<std::size_t>(i)];
  return {{"levers", levers},
          {"support_mode", now.support.mode},
          {"support_capacity_hours", now.support.capacity_hours}};
}

json territory_json(const World& w, const WeekRecord* last) {
  json out = json::array();
  const auto& t = w.territories;
  for (std::size_t i = 0; i < t.name.size(); ++i) {
    json nb = json::array();
    for (std::uint32_t k = t.nb_offset[i]; k < t.nb_offset[i + 1]; ++k)
      nb.push_back(t.nb_target[k]);
    const double learning = last != nullptr && i < last->territory_learning.size()
                                ? last->territory_learning[i]
                                : t.learning[i];
    out.push_back({{"name", t.name[i]},
                   {"neighbours", nb},
                   {"learning", learning},
                   {"members", i < t.members.size() ? t.members[i] : 0}});
  }
  return out;
}

json network_json(const World& w, std::size_t max_links) {
  const auto& c = w.cdps;
  json nodes = json::array();
  for (std::uint32_t i = 0; i < c.phase.size(); ++i) {
    if (!c.alive(i)) continue;
    nodes.push_back({i, i < c.members.size() ? c.members[i] : 0,
                     i < c.active.size() ? c.active[i] : 0, c.phase[i],
                     i < c.territory.size() ? c.territory[i] : 0});
  }
  // Shared members: every pair of CdPs a registered member belongs to.
  std::unordered_map<std::uint64_t, std::int32_t> pairs;
  const auto& m = w.members;
  const std::size_t k = static_cast<std::size_t>(m.slots);
  for (std::size_t id = 0; id < m.created && (id + 1) * k <= m.slot_cdp.size(); ++id) {
    const std::uint32_t* s = &m.slot_cdp[id * k];
    for (std::size_t x = 0; x < k; ++x) {
      if (s[x] == kNone || s[x] >= c.phase.size()) continue;
      for (std::size_t y = x + 1; y < k; ++y) {
        if (s[y] == kNone || s[y] >= c.phase.size() || s[y] == s[x]) continue;
        const std::uint64_t lo = std::min(s[x], s[y]), hi = std::max(s[x], s[y]);
        ++pairs[(lo << 32) | hi];
      }
    }
  }
  std::vector<std::pair<std::uint64_t, std::int32_t>> links(pairs.begin(), pairs.end());
  std::sort(links.begin(), links.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (links.size() > max_links) links.resize(max_links);
  json ls = json::array();
  for (const auto& [key, n] : links) ls.push_back({key >> 32, key & 0xFFFFFFFFu, n});
  return {{"nodes", nodes}, {"links", ls}, {"shared_pairs", pairs.size()}};
}

json events_json(std::span<const Event> events, std::size_t max) {
  json out = json::array();
  const std::size_t skip = events.size() > max ? events.size() - max : 0;
  for (std::size_t i = skip; i < events.size(); ++i) {
    const Event& e = events[i];
    out.push_back({e.week, kEventNames[static_cast<std::size_t>(e.kind)], e.cdp, e.detail});
  }
  return out;
}

json shocks_json(const Scenario& s) {
  json out = json::array();
  for (const ShockSpec& sh : s.shocks)
    out.push_back({{"kind", sh.kind},
                   {"label", sh.label},
                   {"start", sh.start.to_string()},
                   {"duration_weeks", sh.duration_weeks},
                   {"intensity", sh.intensity}});
  return out;
}

std::string week_date(const Scenario& s, std::int64_t week) {
  return Date::from_days_since_epoch(s.simulation.start_date.days_since_epoch() + 7 * week)
      .to_string();
}

}  // namespace cdpsim::app::explore
