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

// Every field of a WeekRecord, named once (checkpoints store the weeks recorded so far; a field
// added above but not here would be lost on resume, which tests/experiments/test_checkpoint.cpp
// detects). v.field for scalars, v.fixed for std::array, v.ragged for std::vector.
template <class R, class V>
void visit_fields(R& r, V& v) {
  v.field("week", r.week);
  v.field("members_total", r.members_total);
  v.field("members_active", r.members_active);
  v.field("cdps_alive", r.cdps_alive);
  v.field("engagement_mean", r.engagement_mean);
  v.field("interactions_inperson", r.interactions_inperson);
  v.field("interactions_online", r.interactions_online);
  v.field("contributions", r.contributions);
  v.field("knowledge_stock", r.knowledge_stock);
  v.field("boundary_objects", r.boundary_objects);
  v.field("new_boundary_objects", r.new_boundary_objects);
  v.field("support_hours_demanded", r.support_hours_demanded);
  v.field("support_hours_given", r.support_hours_given);
  v.field("platform_active_users", r.platform_active_users);
  v.field("sharing_rate", r.sharing_rate);
  v.field("bridging_pairs", r.bridging_pairs);
  v.field("linked_pairs", r.linked_pairs);
  v.field("cross_posts", r.cross_posts);
  v.field("multi_members", r.multi_members);
  v.field("newcomer_first_posts", r.newcomer_first_posts);
  v.field("newcomer_replies", r.newcomer_replies);
  v.field("newcomer_returns", r.newcomer_returns);
  v.field("newcomer_returns_replied", r.newcomer_returns_replied);
  v.field("bridging_joins", r.bridging_joins);
  v.field("rejoins", r.rejoins);
  v.field("memberships_ended", r.memberships_ended);
  v.field("nonparticipation_no_time", r.nonparticipation_no_time);
  v.field("nonparticipation_declined", r.nonparticipation_declined);
  v.field("registrations", r.registrations);
  v.field("cdps_created", r.cdps_created);
  v.field("cdps_dissolved", r.cdps_dissolved);
  v.field("animators", r.animators);
  v.field("pandemic", r.pandemic);
  v.fixed("cdps_by_phase", r.cdps_by_phase);
  v.fixed("members_by_tier", r.members_by_tier);
  v.fixed("memberships_by_tier", r.memberships_by_tier);
  v.ragged("territory_learning", r.territory_learning);
  v.ragged("platform_users", r.platform_users);
  v.field("cdps_active", r.cdps_active);
  v.fixed("levers", r.levers);
  v.ragged("params", r.params);
  v.ragged("interventions_active", r.interventions_active);
  v.field("spent_hours", r.spent_hours);
  v.field("spent_money", r.spent_money);
  v.field("spent_hours_total", r.spent_hours_total);
  v.field("spent_money_total", r.spent_money_total);
}

}  // namespace cdpsim
