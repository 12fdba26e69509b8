#include "models/scenario.hpp"

#include <set>
#include <sstream>

#include "models/interventions.hpp"

namespace cdpsim {

SupportMode Scenario::support_mode() const {
  if (support.mode == "expert") return SupportMode::expert;
  if (support.mode == "capacity_building") return SupportMode::capacity_building;
  return SupportMode::none;
}

AllocationPolicy Scenario::allocation_policy() const {
  if (support.policy == "first_come") return AllocationPolicy::first_come;
  if (support.policy == "proportional") return AllocationPolicy::proportional;
  return AllocationPolicy::neediest;
}

std::int64_t Scenario::week_of(const Date& d) const {
  const std::int64_t days = d.days_since_epoch() - simulation.start_date.days_since_epoch();
  return days >= 0 ? days / 7 : -((-days + 6) / 7);
}

void fill_defaults(Scenario& s) {
  if (s.territories.empty()) {
    TerritorySpec t;
    t.name = "ecosystem";
    t.competition = s.territory.default_competition;
    s.territories.push_back(t);
  }
  if (s.platforms.empty()) s.platforms.push_back(PlatformSpec{});
}

std::vector<std::string> split_names(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto b = item.find_first_not_of(" \t");
    const auto e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

namespace {

[[noreturn]] void fail(std::string_view source, const std::string& key, const std::string& what) {
  throw ScenarioError(std::string(source) + ": " + key + ": " + what);
}

}  // namespace

namespace {

std::string shock_key(std::size_t i) { return "shocks[" + std::to_string(i) + "].start"; }

Date horizon_end(const Scenario& s, std::int64_t weeks) {
  return Date::from_days_since_epoch(s.simulation.start_date.days_since_epoch() + 7 * weeks);
}

std::string horizon_problem(const Scenario& s, std::size_t i, std::int64_t weeks) {
  return s.shocks[i].start.to_string() + " is outside the simulated horizon (allowed: from " +
         s.simulation.start_date.to_string() + " to before " + horizon_end(s, weeks).to_string() +
         ")";
}

}  // namespace

std::vector<std::size_t> shocks_beyond_horizon(const Scenario& s, std::int64_t weeks) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < s.shocks.size(); ++i)
    if (s.week_of(s.shocks[i].start) >= weeks) out.push_back(i);
  return out;
}

void refuse_shocks_beyond(const Scenario& s, std::string_view src, std::int64_t weeks) {
  for (std::size_t i : shocks_beyond_horizon(s, weeks))
    fail(src, shock_key(i), horizon_problem(s, i, weeks));
}

std::string shock_name(const Scenario& s, std::size_t i) {
  const ShockSpec& k = s.shocks[i];
  return "shocks[" + std::to_string(i) + "] " +
         (k.label.empty() ? k.kind : "'" + k.label + "' (" + k.kind + ")");
}

std::string shock_beyond_warning(const Scenario& s, std::size_t i, std::int64_t weeks) {
  return shock_name(s, i) + " starts on " + s.shocks[i].start.to_string() +
         ", after the simulated horizon (" + s.simulation.start_date.to_string() + " to before " +
         horizon_end(s, weeks).to_string() +
         "): it never happens in this run (--strict refuses the run instead)";
}

std::string shocks_never_happened(const Scenario& s, std::int64_t weeks) {
  std::string out;
  for (std::size_t i : shocks_beyond_horizon(s, weeks))
    out += (out.empty() ? "" : "; ") + shock_name(s, i) + " from " + s.shocks[i].start.to_string();
  return out;
}

void validate(const Scenario& s, std::string_view src, bool strict_horizon) {
  const PopulationParams& p = s.population;
  if (p.initial_members > p.potential_members)
    fail(src, "population.initial_members",
         std::to_string(p.initial_members) + " is more than population.potential_members = " +
             std::to_string(p.potential_members) + " (allowed: at most potential_members)");
  if (p.initial_cdps > p.initial_members)
    fail(src, "population.initial_cdps",
         std::to_string(p.initial_cdps) + " CdPs need as many founders but initial_members = " +
             std::to_string(p.initial_members) + " (allowed: initial_cdps <= initial_members)");
  if (p.initial_cdps > p.max_cdps)
    fail(src, "population.initial_cdps",
         std::to_string(p.initial_cdps) + " is more than population.max_cdps = " +
             std::to_string(p.max_cdps) + " (allowed: initial_cdps <= max_cdps)");
  if (p.potential_members > 4'000'000'000LL || p.max_cdps > 4'000'000'000LL)
    fail(src, "population", "ids are 32-bit (allowed: fewer than 4e9 members and CdPs)");
  if (p.time_budget_min > p.time_budget_max)
    fail(src, "population.time_budget_min",
         "is above time_budget_max (allowed: time_budget_min <= time_budget_max)");
  if (s.animation.hours_min > s.animation.hours_max)
    fail(src, "animation.hours_min", "is above hours_max (allowed: hours_min <= hours_max)");
  if (s.engagement.active_threshold > s.engagement.core_threshold)
    fail(src, "engagement.active_threshold",
         "is above core_threshold (allowed: active_threshold <= core_threshold)");
  if (!(s.phases.coalescing_at <= s.phases.maturing_at &&
        s.phases.maturing_at <= s.phases.stewardship_at))
    fail(src, "phases",
         "thresholds out of order (allowed: coalescing_at <= maturing_at <= stewardship_at)");
  if (!s.simulation.start_date.valid())
    fail(src, "simulation.start_date", "is not a valid calendar date");

  for (std::size_t i = 0; i < s.shocks.size(); ++i)
    if (s.week_of(s.shocks[i].start) < 0)
      fail(src, shock_key(i), horizon_problem(s, i, s.simulation.weeks));
  if (strict_horizon) refuse_shocks_beyond(s, src, s.simulation.weeks);

  std::set<std::string> names;
  double share = 0.0;
  for (std::size_t i = 0; i < s.territories.size(); ++i) {
    if (!names.insert(s.territories[i].name).second)
      fail(src, "territories[" + std::to_string(i) + "].name",
           "'" + s.territories[i].name + "' appears twice (allowed: unique names)");
    share += s.territories[i].share;
  }
  if (!s.territories.empty() && share <= 0)
    fail(src, "territories[].share", "all shares are 0 (allowed: at least one positive share)");
  for (std::size_t i = 0; i < s.territories.size(); ++i)
    for (const std::string& n : split_names(s.territories[i].neighbours))
      if (!names.count(n) || n == s.territories[i].name)
        fail(src, "territories[" + std::to_string(i) + "].neighbours",
             "'" + n + "' is not another territory of this scenario");
  std::set<std::string> pnames;
  double pshare = 0.0;
  for (std::size_t i = 0; i < s.platforms.size(); ++i) {
    if (!pnames.insert(s.platforms[i].name).second)
      fail(src, "platforms[" + std::to_string(i) + "].name",
           "'" + s.platforms[i].name + "' appears twice (allowed: unique names)");
    pshare += s.platforms[i].share;
  }
  if (!s.platforms.empty() && pshare <= 0)
    fail(src, "platforms[].share", "all shares are 0 (allowed: at least one positive share)");
  (void)plan_interventions(s, src);
}

}  // namespace cdpsim
