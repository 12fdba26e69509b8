// What one week of a run produced, as observers record it (docs/output.md): the schedule fills it,
// the recorder, ensembles, metrics and intervention triggers read it.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/levers.hpp"
#include "models/types.hpp"

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
  // Alive CdPs with at least phases.min_active active members (the quorum to mature).
  std::int64_t cdps_active = 0;
  // Interventions (models/interventions.hpp): the levers in force, the other changed parameters
  // (in the order of InterventionPlan::params; booleans 0/1, choices as their index), whether each
  // intervention is in force, and spending this week and since week 0.
  std::array<double, kLevers> levers{};
  std::vector<double> params;
  std::vector<std::uint8_t> interventions_active;
  double spent_hours = 0.0;
  double spent_money = 0.0;
  double spent_hours_total = 0.0;
  double spent_money_total = 0.0;
};

}  // namespace cdpsim
