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
#include "models/streams.hpp"
#include "models/types.hpp"
#include "models/world.hpp"
#include "sim/rng.hpp"

namespace cdpsim {

// Everything observers record about one week (docs/output.md).
struct WeekRecord {
  std::int32_t week = 0;
  std::int64_t members_total = 0;
  std::int64_t members_active = 0;
  std::int64_t cdps_alive = 0;
  double engagement_mean = 0.0;
  std::int64_t interactions_inperson = 0;
  std::int64_t interactions_online = 0;
  std::int64_t contributions = 0;
  double knowledge_stock = 0.0;
  std::int64_t boundary_objects = 0;  // cumulative
  std::int64_t new_boundary_objects = 0;
  double support_hours_demanded = 0.0;
  double support_hours_given = 0.0;
  std::int64_t platform_active_users = 0;
  double sharing_rate = 0.0;  // shared / contributions
  std::int64_t bridging_pairs = 0;
  std::int64_t linked_pairs = 0;
  std::int64_t cross_posts = 0;
  std::int64_t multi_members = 0;
  std::int64_t newcomer_first_posts = 0;
  std::int64_t newcomer_replies = 0;
  std::int64_t newcomer_returns = 0;
  std::int64_t newcomer_returns_replied = 0;
  std::int64_t bridging_joins = 0;             // memberships added by members already in a CdP
  std::int64_t rejoins = 0;                    // memberships added by members who had none
  std::int64_t memberships_ended = 0;          // memberships dropped (faded, newcomer not back)
  std::int64_t nonparticipation_no_time = 0;   // membership-weeks without the time to take part
  std::int64_t nonparticipation_declined = 0;  // membership-weeks with time but not worth it
  std::int64_t registrations = 0;
  std::int64_t cdps_created = 0;
  std::int64_t cdps_dissolved = 0;
  std::int64_t animators = 0;
  double pandemic = 0.0;
  std::array<std::int64_t, kPhases> cdps_by_phase{};
  std::array<std::int64_t, kTiers> members_by_tier{};
  std::array<std::int64_t, kTiers> memberships_by_tier{};
  std::vector<double> territory_learning;
  std::vector<std::int64_t> platform_users;
};

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

class Simulation {
 public:
  Simulation(const Scenario& s, std::uint64_t seed);
  // Simulates the next week and returns what happened.
  WeekRecord step();
  [[nodiscard]] const World& world() const { return world_; }
  [[nodiscard]] const Scenario& scenario() const { return s_; }
  [[nodiscard]] std::int32_t week() const { return world_.week; }
  // Adds each part's time of the following weeks to *times (nullptr: stop timing).
  void set_timing(StepTimes* times) { times_ = times; }

 private:
  StepTimes* times_ = nullptr;
  const Scenario& s_;
  Effective eff_;
  Rng rng_;
  World world_;
  CdpChooser chooser_;
};

}  // namespace cdpsim
