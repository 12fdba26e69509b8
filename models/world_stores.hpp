// Every store of the World, named once: what a checkpoint writes and reads back
// (experiments/run/checkpoint.cpp). A store added to world.hpp but not here would be lost by
// checkpoint and resume; tests/experiments/test_checkpoint.cpp checks that a resumed run equals
// an uninterrupted one bit for bit, so such an omission fails there.
//
// The visitor gets, for each array, a name, the name of its axis (arrays of one axis have the
// same length) and the vector; for each counter, a name and the value:
//   v.array("member_org", "member", w.members.org);
//   v.count("members_created", w.members.created);
#pragma once

#include <cstdint>

#include "models/world.hpp"

namespace cdpsim {

template <class WorldT, class V>
void visit_stores(WorldT& w, V& v) {
  auto& t = w.territories;
  v.array("territory_name", "territory", t.name);
  v.array("territory_competition", "territory", t.competition);
  v.array("territory_learning", "territory", t.learning);
  v.array("territory_flow_fx", "territory", t.flow_fx);
  v.array("territory_members", "territory", t.members);
  v.array("territory_nb_offset", "territory_plus_one", t.nb_offset);
  v.array("territory_nb_target", "neighbour_link", t.nb_target);

  auto& o = w.orgs;
  v.array("org_culture", "organisation", o.culture);
  v.array("org_value_cdp", "organisation", o.value_cdp);
  v.array("org_workload", "organisation", o.workload);
  v.array("org_exposure", "organisation", o.exposure);
  v.array("org_sector_frontline", "organisation", o.sector_frontline);
  v.array("org_project_funded", "organisation", o.project_funded);
  v.array("org_territory", "organisation", o.territory);
  v.array("org_allow", "organisation", o.allow);
  v.array("org_competition", "organisation", o.competition);

  auto& m = w.members;
  v.count("members_capacity", m.capacity);
  v.count("members_created", m.created);
  v.count("members_slots", m.slots);
  v.array("member_org", "member", m.org);
  v.array("member_time_budget", "member", m.time_budget);
  v.array("member_threshold", "member", m.threshold);
  v.array("member_propensity", "member", m.propensity);
  v.array("member_skill_anim", "member", m.skill_anim);
  v.array("member_skill_digital", "member", m.skill_digital);
  v.array("member_trust", "member", m.trust);
  v.array("member_burnout", "member", m.burnout);
  v.array("member_status", "member", m.status);
  v.array("member_trained", "member", m.trained);
  v.array("member_join_week", "member", m.join_week);
  v.array("member_idle_since", "member", m.idle_since);
  v.array("member_contributions", "member", m.contributions);
  v.array("slot_cdp", "slot", m.slot_cdp);
  v.array("slot_eng", "slot", m.slot_eng);
  v.array("slot_since", "slot", m.slot_since);
  v.array("slot_tier", "slot", m.slot_tier);
  v.array("slot_flags", "slot", m.slot_flags);

  auto& c = w.cdps;
  v.count("cdps_capacity", c.capacity);
  v.count("cdps_created", c.created);
  v.array("cdp_phase", "cdp", c.phase);
  v.array("cdp_phase_entered", "cdp_by_phase", c.phase_entered);
  v.array("cdp_theme_clarity", "cdp", c.theme_clarity);
  v.array("cdp_autonomy", "cdp", c.autonomy);
  v.array("cdp_inperson_share", "cdp", c.inperson_share);
  v.array("cdp_repertoire", "cdp", c.repertoire);
  v.array("cdp_maturity", "cdp", c.maturity);
  v.array("cdp_animator", "cdp", c.animator);
  v.array("cdp_territory", "cdp", c.territory);
  v.array("cdp_platform", "cdp", c.platform);
  v.array("cdp_birth_week", "cdp", c.birth_week);
  v.array("cdp_decline_weeks", "cdp", c.decline_weeks);
  v.array("cdp_quiet_weeks", "cdp", c.quiet_weeks);
  v.array("cdp_last_support_week", "cdp", c.last_support_week);
  v.array("cdp_support_weeks", "cdp", c.support_weeks);
  v.array("cdp_mutual_aid", "cdp", c.mutual_aid);
  v.array("cdp_need_hours", "cdp", c.need_hours);
  v.array("cdp_own_hours", "cdp", c.own_hours);
  v.array("cdp_animation_quality", "cdp", c.animation_quality);
  v.array("cdp_support_given", "cdp", c.support_given);
  v.array("cdp_support_demand", "cdp", c.support_demand);
  v.array("cdp_support_total", "cdp", c.support_total);
  v.array("cdp_health", "cdp", c.health);
  v.array("cdp_members", "cdp", c.members);
  v.array("cdp_active", "cdp", c.active);
  v.array("cdp_core", "cdp", c.core);
  v.array("cdp_contributions", "cdp", c.contributions);
  v.array("cdp_inperson", "cdp", c.inperson);
  v.array("cdp_online", "cdp", c.online);
  v.array("cdp_shared_fx", "cdp", c.shared_fx);
  v.array("cdp_best_core", "cdp", c.best_core);
  v.array("cdp_links", "cdp", c.links);

  auto& p = w.platforms;
  v.array("platform_name", "platform", p.name);
  v.array("platform_share", "platform", p.share);
  v.array("platform_usability", "platform", p.usability);
  v.array("platform_openness", "platform", p.openness);
  v.array("platform_interoperability", "platform", p.interoperability);
  v.array("platform_quality", "platform", p.quality);
  v.array("platform_mass", "platform", p.mass);
  v.array("platform_active_users", "platform", p.active_users);

  v.count("boundary_objects", w.eco.boundary_objects);
  v.count("week", w.week);
  v.events("event", w.events);
}

}  // namespace cdpsim
