// The weekly schedule (docs/model.md, "Process overview and scheduling"). A Simulation owns the
// World and advances it one week at a time; what happened in the week comes back as a WeekRecord
// for observers. The order of mechanisms within a week is fixed:
//   1 shocks in force          5 members: participation, engagement, sharing, churn
//   2 organisations' time      6 links, boundary objects, repertoire
//   3 platforms                7 phases and dissolution
//   4 animation, then support  8 CdP creation, registrations, territory learning
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/churn_recruitment.hpp"
#include "models/effective.hpp"
#include "models/interventions.hpp"
#include "models/member_week.hpp"
#include "models/streams.hpp"
#include "models/types.hpp"
#include "models/week_record.hpp"
#include "models/world.hpp"
#include "sim/rng.hpp"

namespace cdpsim {

// Wall time of each part of a week, summed over the weeks stepped while a StepTimes is attached
// (Simulation::set_timing; the benchmark only: a normal run attaches none and pays one untaken
// branch per part).
struct StepTimes {
  enum Part : int {
    context,  // shocks, organisations' time, platforms
    animation,
    support,
    chooser,  // CdP attractiveness for joins and registrations
    members,  // the member sweep
    links,    // links, cross-posts, boundary objects, repertoire
    phases,
    creation,     // CdP creation
    recruitment,  // registrations and territory learning
    record,       // filling the WeekRecord
    kParts
  };
  static constexpr const char* kNames[kParts] = {"context",     "animation", "support", "chooser",
                                                 "members",     "links",     "phases",  "creation",
                                                 "recruitment", "record"};
  double seconds[kParts] = {};
};

// What a Simulation carries from one week to the next besides its scenario and seed (a
// checkpoint's content, experiments/run/checkpoint.hpp): the World, the interventions' progress
// and last week's record, which triggers read. The scenario in force and the effective
// parameters are recomputed from these at the start of the next week.
struct SimulationState {
  World world;
  InterventionState::Progress interventions;
  WeekRecord last;  // of week world.week - 1 (unused in week 0)
};

class Simulation {
 public:
  // `s` must outlive the Simulation; interventions change a copy of it week by week.
  Simulation(const Scenario& s, std::uint64_t seed);
  // Continues a run of `s` from `state` (week state.world.week next), drawing from `seed`'s
  // random numbers: the run's own seed continues it exactly; another seed reseeds it from there.
  // Throws std::invalid_argument when the state does not fit `s`'s interventions.
  Simulation(const Scenario& s, std::uint64_t seed, SimulationState state);
  // Simulates the next week and returns what happened.
  WeekRecord step();
  [[nodiscard]] const World& world() const { return world_; }
  // The scenario as written (scenario()) and as in force this week, interventions applied.
  [[nodiscard]] const Scenario& scenario() const { return s_; }
  [[nodiscard]] const Scenario& scenario_now() const { return now_; }
  [[nodiscard]] const InterventionState& interventions() const { return interventions_; }
  [[nodiscard]] std::int32_t week() const { return world_.week; }
  // Last week's record as triggers see it (meaningful after a week with interventions).
  [[nodiscard]] const WeekRecord& last_record() const { return last_; }
  // Adds each part's time of the following weeks to *times (nullptr: stop timing).
  void set_timing(StepTimes* times) { times_ = times; }

 private:
  StepTimes* times_ = nullptr;
  const Scenario& s_;
  Scenario now_;  // s_ with this week's interventions applied
  InterventionState interventions_;
  WeekRecord last_;  // last week's record, for triggers
  Effective eff_;
  Rng rng_;
  World world_;
  CdpChooser chooser_;
  MemberWeekScratch sweep_;  // the member sweep's buffers, reused every week
};

}  // namespace cdpsim
