// A scenario: every parameter of a run, typed and validated. Built from a TOML file by
// load_scenario() (experiments/scenario_io.hpp); the model takes this value and never sees TOML,
// files or argv.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "models/levers.hpp"
#include "models/params.hpp"
#include "models/types.hpp"

namespace cdpsim {

struct Scenario {
  SimulationParams simulation;
  Levers levers;
  PopulationParams population;
  OrgTimeParams organisations;
  ParticipationParams participation;
  EngagementParams engagement;
  ChurnParams churn;
  RecruitmentParams recruitment;
  AnimationParams animation;
  SupportParams support;
  SharingParams sharing;
  PlatformParams platform;
  RepertoireParams repertoire;
  PhaseParams phases;
  PandemicParams pandemic;
  TerritoryParams territory;
  OutputParams output;
  std::vector<TerritorySpec> territories;
  std::vector<PlatformSpec> platforms;
  std::vector<ShockSpec> shocks;
  std::vector<InterventionSpec> interventions;

  template <class V>
  void visit(V& v) {
    v.section("simulation", "run length, start date and seed", simulation);
    v.section("levers", "the 17 levers of action, each in [0, 1]; 0.5 is the reference", levers);
    v.section("population", "sizes and member attributes at creation", population);
    v.section("organisations", "time available from organisations' priorities", organisations);
    v.section("participation", "benefit-cost participation decision", participation);
    v.section("engagement", "engagement reinforcement, decay and tiers", engagement);
    v.section("churn", "leaving and joining CdPs; newcomer return", churn);
    v.section("recruitment", "registrations and CdP creation", recruitment);
    v.section("animation", "animators' hours, skill and burnout", animation);
    v.section("support", "the support team (accompagnement)", support);
    v.section("sharing", "competition, trust and knowledge sharing", sharing);
    v.section("platform", "digital tools and critical mass", platform);
    v.section("repertoire", "repertoire growth and boundary objects", repertoire);
    v.section("phases", "CdP lifecycle", phases);
    v.section("pandemic", "effects of a pandemic shock at intensity 1", pandemic);
    v.section("territory", "territory learning capacity", territory);
    v.section("output", "what the HDF5 file contains", output);
    v.table_array("territories", "territories (default: one)", territories);
    v.table_array("platforms", "digital platforms (default: one)", platforms);
    v.table_array("shocks", "scheduled shocks", shocks);
    v.table_array("interventions", "changes of levers and parameters during the run (programmes)",
                  interventions);
  }

  // Typed views of string choices (valid after validate()).
  [[nodiscard]] SupportMode support_mode() const;
  [[nodiscard]] AllocationPolicy allocation_policy() const;
  // Week index of a date relative to simulation.start_date (floor of days / 7; may be negative).
  [[nodiscard]] std::int64_t week_of(const Date& d) const;
};

// Defaults for arrays a file leaves empty: one territory, one platform.
void fill_defaults(Scenario& s);

// Cross-field checks a single field cannot express (more CdPs than members, a shock starting
// before the start date, unknown neighbour names, ...). Throws ScenarioError naming the source and
// keys. A shock starting after the horizon is valid (the run is just shorter than the story; it
// never happens): refused only with `strict_horizon` (--strict).
void validate(const Scenario& s, std::string_view source_name, bool strict_horizon = false);

// The shocks starting in week `weeks` or later of a run `weeks` long (they never happen).
std::vector<std::size_t> shocks_beyond_horizon(const Scenario& s, std::int64_t weeks);
// Throws validate()'s ScenarioError for the first of them ("outside the simulated horizon").
void refuse_shocks_beyond(const Scenario& s, std::string_view source_name, std::int64_t weeks);
// "shocks[0] 'COVID-19' (pandemic)"
std::string shock_name(const Scenario& s, std::size_t i);
// The one warning about shock i: its name, its date, the horizon.
std::string shock_beyond_warning(const Scenario& s, std::size_t i, std::int64_t weeks);
// "shocks[0] 'COVID-19' (pandemic) from 2020-03-16; ..." for the output's attributes; "" if none.
std::string shocks_never_happened(const Scenario& s, std::int64_t weeks);

// "a, b ,c" -> {"a", "b", "c"}: the comma-separated names of territories[].neighbours.
std::vector<std::string> split_names(const std::string& text);

}  // namespace cdpsim
