#include "models/schedule.hpp"

#include <chrono>

#include "models/animation.hpp"
#include "models/cdp_creation.hpp"
#include "models/init.hpp"
#include "models/member_week.hpp"
#include "models/org_time.hpp"
#include "models/phases.hpp"
#include "models/platform.hpp"
#include "models/repertoire.hpp"
#include "models/shocks.hpp"
#include "models/support.hpp"
#include "models/territory.hpp"

namespace cdpsim {

Simulation::Simulation(const Scenario& s, std::uint64_t seed)
    : s_(s),
      now_(s),
      interventions_(s),
      eff_(apply_levers(s)),
      rng_(seed),
      world_(make_world(s, eff_, rng_)) {}

// now_ starts at the scenario as written and eff_ at its levers: the first begin_week() writes
// every changed key's value from the interventions' progress and, if one differs, recomputes
// eff_, which gives what an uninterrupted run has (apply_levers(now, base) equals
// apply_levers(s) when nothing differs).
Simulation::Simulation(const Scenario& s, std::uint64_t seed, SimulationState state)
    : s_(s),
      now_(s),
      interventions_(s),
      last_(std::move(state.last)),
      eff_(apply_levers(s)),
      rng_(seed),
      world_(std::move(state.world)) {
  interventions_.restore(std::move(state.interventions));
}

WeekRecord Simulation::step() {
  World& w = world_;
  const std::int32_t t = w.week;
  // Phase timer: only when the benchmark attached a StepTimes.
  using Clock = std::chrono::steady_clock;
  Clock::time_point mark{};
  if (times_ != nullptr) mark = Clock::now();
  const auto lap = [&](StepTimes::Part part) {
    if (times_ == nullptr) return;
    const Clock::time_point now = Clock::now();
    times_->seconds[part] += std::chrono::duration<double>(now - mark).count();
    mark = now;
  };
  if (!interventions_.empty() &&
      interventions_.begin_week(t, t > 0 ? &last_ : nullptr, now_, w.events))
    eff_ = apply_levers(now_, s_.levers);
  const StepContext ctx{now_, eff_, rng_, t, shock_effects(now_, t), interventions_.support_cap()};

  for (std::size_t i = 0; i < s_.shocks.size(); ++i) {
    const ShockSpec& sh = s_.shocks[i];
    const std::int64_t start = s_.week_of(sh.start);
    const std::string what = sh.kind + (sh.label.empty() ? "" : ": " + sh.label);
    if (start == t) w.events.push_back({t, EventKind::shock_start, -1, what});
    if (start + sh.duration_weeks == t) w.events.push_back({t, EventKind::shock_end, -1, what});
  }

  update_organisation_time(w, ctx);
  update_platforms(w, ctx);
  lap(StepTimes::context);
  update_animation(w, ctx);
  lap(StepTimes::animation);
  const SupportTotals sup = allocate_support(w, ctx);
  lap(StepTimes::support);
  interventions_.pay(t, sup.given, w.events);
  chooser_.build(w, now_, eff_.theme_shift);
  lap(StepTimes::chooser);
  const MemberWeekTotals mw = member_week(w, ctx, chooser_, sweep_);
  lap(StepTimes::members);
  const RepertoireTotals rep = update_repertoire(w, ctx, mw.pairs);
  lap(StepTimes::links);
  const PhaseTotals ph = update_phases(w, ctx);
  lap(StepTimes::phases);
  const std::uint32_t created = create_cdps(w, ctx, mw.active_members);
  lap(StepTimes::creation);
  const std::uint32_t registered = recruit(w, ctx, chooser_);
  update_territories(w, ctx);
  lap(StepTimes::recruitment);

  WeekRecord r;
  r.week = t;
  r.members_active = mw.active_members;
  r.engagement_mean =
      mw.memberships > 0 ? static_cast<double>(mw.engagement_fx) / kFixed / mw.memberships : 0.0;
  r.interactions_inperson = mw.inperson;
  r.interactions_online = mw.online;
  r.contributions = mw.contributions;
  r.knowledge_stock = rep.knowledge_stock;
  r.boundary_objects = w.eco.boundary_objects;
  r.new_boundary_objects = rep.new_boundary_objects;
  r.support_hours_demanded = sup.demanded;
  r.support_hours_given = sup.given;
  r.sharing_rate =
      mw.contributions > 0 ? static_cast<double>(mw.shared_fx) / kFixed / mw.contributions : 0.0;
  r.bridging_pairs = rep.bridging_pairs;
  r.linked_pairs = rep.linked_pairs;
  r.cross_posts = rep.cross_posts;
  r.multi_members = mw.multi_members;
  r.newcomer_first_posts = mw.first_posts;
  r.newcomer_replies = mw.replies;
  r.newcomer_returns = mw.returns;
  r.newcomer_returns_replied = mw.returns_replied;
  r.bridging_joins = mw.joined_more;
  r.rejoins = mw.rejoined;
  r.memberships_ended = mw.dropped;
  r.nonparticipation_no_time = mw.no_time;
  r.nonparticipation_declined = mw.declined;
  r.registrations = registered;
  r.cdps_created = created;
  r.cdps_dissolved = ph.dissolved;
  r.pandemic = ctx.shock.pandemic;
  for (int k = 0; k < kTiers; ++k) {
    r.members_by_tier[k] = mw.tiers[k];
    r.memberships_by_tier[k] = mw.membership_tiers[k];
  }
  // Registered members: those counted by tier this week, plus this week's registrations.
  r.members_total = mw.tiers[0] + mw.tiers[1] + mw.tiers[2] - mw.exits + registered;
  r.members_by_tier[0] += registered - mw.exits;
  const Cdps& c = w.cdps;
  const std::int64_t quorum = now_.phases.min_active;
  for (std::uint32_t k = 0; k < c.created; ++k) {
    ++r.cdps_by_phase[c.phase[k]];
    if (c.alive(k) && c.animator[k] != kNone) ++r.animators;
    if (c.alive(k) && c.active[k] >= quorum) ++r.cdps_active;
  }
  r.cdps_alive = c.created - r.cdps_by_phase[static_cast<int>(Phase::dissolved)];
  r.territory_learning = w.territories.learning;
  r.platform_users = w.platforms.active_users;
  for (std::int64_t u : r.platform_users) r.platform_active_users += u;
  interventions_.fill(r, now_);
  if (!interventions_.empty()) last_ = r;
  ++w.week;
  lap(StepTimes::record);
  return r;
}

}  // namespace cdpsim
