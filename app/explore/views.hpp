// What the explorer's page shows, as JSON (docs/explorer.md, "Endpoints"): the levers and other
// tables the page is generated from (taken from the C++ tables, never written twice), one week of
// a run, the territory and CdP network views, and the events log.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "models/scenario.hpp"
#include "models/schedule.hpp"

namespace cdpsim::app::explore {

// A scenario of scenarios/ offered as a preset.
struct Preset {
  std::string id;  // file stem: "passerelles"
  std::filesystem::path path;
  std::string question;
  std::int64_t potential_members = 0;
  bool too_large = false;  // beyond the explorer's population limit: listed, refused
};
std::vector<Preset> find_presets(const std::filesystem::path& dir, std::int64_t max_members);

// The tables the page builds itself from: the 17 levers (key, group, English and French names,
// meaning, reference, range) from models/levers.hpp, the lever groups in thesis order, phases and
// tiers with their French names (experiments/text), support modes, the mid-run keys the page may
// move, the presets and the explorer's limits.
nlohmann::json meta_json(const std::vector<Preset>& presets, std::int64_t max_members,
                         int max_speed, int max_redraw);

// The weekly values the plots show, for one run and week (short keys: docs/explorer.md).
nlohmann::json week_json(const WeekRecord& r);
// Lever values and support settings in force this week.
nlohmann::json settings_json(const Scenario& now);
// Territories: name, neighbours (indices), learning capacity now, members.
nlohmann::json territory_json(const World& w, const WeekRecord* last);
// Alive CdPs (id, members, active, phase, territory) and links between them weighted by shared
// members (the `max_links` heaviest).
nlohmann::json network_json(const World& w, std::size_t max_links = 400);
// Events from index `from` on (at most `max` of them; the count skipped is reported).
nlohmann::json events_json(std::span<const Event> events, std::size_t max);
// The scenario's shocks as the page's switches show them.
nlohmann::json shocks_json(const Scenario& s);

// ISO date of week `week` of `s`.
std::string week_date(const Scenario& s, std::int64_t week);

}  // namespace cdpsim::app::explore
