// The weekly sweep over members (docs/model.md, "Process overview", step 5). For each registered
// member, in one pass over its membership slots: the participation decision
// (participation.hpp), contributions, knowledge sharing and trust (knowledge_sharing.hpp),
// engagement and tier (engagement.hpp), newcomer return and membership churn
// (churn_recruitment.hpp), then joining a further CdP or leaving the ecosystem.
//
// Two-phase and thread-independent: members read CdP aggregates of the previous week and write
// only their own state; per-CdP aggregates are integer (or fixed-point) sums collected per thread
// and added in any order, which is exact. All draws are counter-based (stream::participation and
// stream::member_weekly, keyed by member id and slot).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "models/churn_recruitment.hpp"
#include "models/context.hpp"
#include "models/world.hpp"

namespace cdpsim {

struct MemberWeekTotals {
  std::int64_t active_members = 0;  // members who participated in at least one CdP
  std::int64_t contributions = 0;
  std::int64_t inperson = 0;  // participations in person
  std::int64_t online = 0;    // participations online
  std::int64_t memberships = 0;
  std::int64_t engagement_fx = 0;     // sum of engagement over memberships, fixed point
  std::int64_t shared_fx = 0;         // contributions shared (competition-damped), fixed point
  std::int64_t tiers[3] = {0, 0, 0};  // members by highest tier (no membership counts peripheral)
  std::int64_t membership_tiers[3] = {0, 0, 0};  // memberships by tier
  std::int64_t no_time = 0;                      // membership-weeks skipped for lack of time
  std::int64_t declined = 0;         // membership-weeks with time, but benefit below threshold
  std::int64_t first_posts = 0;      // newcomers posting for the first time
  std::int64_t replies = 0;          // of which got a reply
  std::int64_t returns = 0;          // of which returned
  std::int64_t returns_replied = 0;  // returned after a reply
  std::int64_t dropped = 0;          // memberships ended
  std::int64_t joined_more = 0;      // memberships added by members already in a CdP (bridging)
  std::int64_t rejoined = 0;         // memberships added by members without any CdP
  std::int64_t exits = 0;            // members who left the ecosystem
  std::int64_t multi_members = 0;    // members active in two or more CdPs this week
  // Sorted (c1 << 32 | c2), c1 < c2, one per shared active member; points into the scratch,
  // valid until its next sweep.
  std::span<const std::uint64_t> pairs;
};

// The buffers the sweep reuses from week to week: per-CdP records, per-thread accumulators, the
// pairs. They hold no state (a copy starts empty and results never depend on them). Allocated
// afresh each week they fragmented glibc's heap: 529 MB resident instead of 168 MB for
// scenarios/large.toml (docs/performance.md, "Memory").
class MemberWeekScratch {
 public:
  MemberWeekScratch();
  ~MemberWeekScratch();
  MemberWeekScratch(const MemberWeekScratch&);
  MemberWeekScratch& operator=(const MemberWeekScratch&);
  struct Buffers;

 private:
  friend MemberWeekTotals member_week(World&, const StepContext&, const CdpChooser&,
                                      MemberWeekScratch&);
  std::unique_ptr<Buffers> b_;
};

MemberWeekTotals member_week(World& w, const StepContext& ctx, const CdpChooser& chooser,
                             MemberWeekScratch& scratch);

}  // namespace cdpsim
