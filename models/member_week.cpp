#include "models/member_week.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <cassert>
#include <cmath>

#include "models/engagement.hpp"
#include "models/knowledge_sharing.hpp"
#include "models/participation.hpp"
#include "sim/decide.hpp"
#include "sim/parallel/parallel_over.hpp"

namespace cdpsim {

// Participation draw blocks per (member, week): slot k uses block k, and the newcomer-reply draw of
// slot k uses block kReplyDraw + k, so the two never collide for any slot count the model allows.
constexpr std::uint32_t kReplyDraw = 8;
static_assert(kReplyDraw >= kMaxMemberships, "reply draws would reuse participation blocks");

namespace {

// Per-CdP integer accumulators, one cache line per CdP (a membership touches one line of its
// CdP's accumulators, not two or three); kBest is the best core candidate, -1: none.
enum Acc : int { kMembers, kActive, kCore, kContrib, kInperson, kOnline, kShared, kBest, kAccN };
struct alignas(64) AccRow {
  std::int64_t v[kAccN] = {0, 0, 0, 0, 0, 0, 0, -1};
};
static_assert(sizeof(AccRow) == 64, "one cache line per CdP");

struct Local {
  std::vector<AccRow> acc;               // per CdP
  std::vector<std::int64_t> flow;        // per territory
  std::vector<std::int64_t> users;       // per platform
  std::vector<std::int64_t> registered;  // per territory
  std::vector<std::uint64_t> pairs;
  MemberWeekTotals t;
  // Zeroes the accumulators for a week of C CdPs, keeping the buffers' memory.
  void reset(std::uint32_t C, std::uint32_t T, std::uint32_t NP) {
    acc.assign(C, AccRow{});
    flow.assign(T, 0);
    users.assign(NP, 0);
    registered.assign(T, 0);
    pairs.clear();
    t = MemberWeekTotals{};
  }
};

struct CdpHot {
  float base_b = 0.0f, inperson_p = 0.0f, online_b = 0.0f, reply_p = 0.0f, q = 0.0f;
  std::uint16_t platform = 0;  // platforms are a short list in the scenario (asserted below)
  std::uint8_t alive = 0;
  double openness = 0.0;
};
static_assert(sizeof(CdpHot) == 32, "two CdPs per cache line");

struct OrgHot {
  float competition, allow;
  std::uint32_t territory;
};

constexpr std::uint32_t kAhead = 8;  // members between a prefetch and its use
// Prefetch when the per-CdP and per-organisation records exceed half of a 1 MiB L2 cache.
constexpr std::size_t kPrefetchAbove = 512 * 1024;

constexpr std::uint32_t kBlock =
    2048;  // members per task: fixed, so chunking never changes results

}  // namespace

struct MemberWeekScratch::Buffers {
  std::vector<CdpHot> hot;
  std::vector<OrgHot> org_hot;
  std::uint32_t C = 0, T = 0, NP = 0;  // this week's sizes, for a thread's first Local
  tbb::enumerable_thread_specific<Local> locals{[this] {
    Local l;
    l.reset(C, T, NP);
    return l;
  }};
  std::vector<AccRow> acc;
  std::vector<std::int64_t> flow, users, registered;
  std::vector<std::uint64_t> pairs;
};

MemberWeekScratch::MemberWeekScratch() : b_(std::make_unique<Buffers>()) {}
MemberWeekScratch::~MemberWeekScratch() = default;
MemberWeekScratch::MemberWeekScratch(const MemberWeekScratch&) : b_(std::make_unique<Buffers>()) {}
MemberWeekScratch& MemberWeekScratch::operator=(const MemberWeekScratch&) { return *this; }

MemberWeekTotals member_week(World& w, const StepContext& ctx, const CdpChooser& chooser,
                             MemberWeekScratch& scratch) {
  MemberWeekScratch::Buffers& B = *scratch.b_;
  const Scenario& s = ctx.s;
  const ParticipationParams& pp = s.participation;
  const EngagementParams& ep = s.engagement;
  const ChurnParams& cp = s.churn;
  const Effective& eff = ctx.eff;
  Members& m = w.members;
  Cdps& c = w.cdps;
  const Organisations& o = w.orgs;
  const Platforms& P = w.platforms;
  const std::uint32_t C = c.created;
  const std::uint32_t T = w.territories.size();
  const std::uint32_t NP = P.size();
  const int K = m.slots;
  const std::int32_t week = ctx.week;

  // CdP-only parts of the decision, once per CdP, packed in one 32-byte record so that a
  // membership reads one cache line of its CdP instead of eight scattered arrays.
  assert(NP <= 0xFFFF);
  std::vector<CdpHot>& hot = B.hot;
  hot.assign(C, CdpHot{});
  for (std::uint32_t k = 0; k < C; ++k) {
    if (!c.alive(k)) continue;
    CdpHot& h = hot[k];
    h.alive = 1;
    h.base_b = static_cast<float>(cdp_benefit(pp, eff.value_base, eff.size_penalty,
                                              shifted(c.theme_clarity[k], eff.theme_shift),
                                              c.members[k], c.active[k], c.animation_quality[k]));
    h.inperson_p = static_cast<float>(c.inperson_share[k] * ctx.shock.inperson_multiplier);
    const std::uint32_t pl = c.platform[k];
    h.platform = static_cast<std::uint16_t>(pl);
    h.openness = P.openness[pl];
    h.online_b = static_cast<float>(pp.online_weight * P.quality[pl] * (0.5 + 0.5 * P.mass[pl]) *
                                    ctx.shock.online_multiplier);
    h.reply_p = static_cast<float>(
        reply_probability(cp, eff.reply_factor, c.active[k], c.animation_quality[k]));
    h.q = 0.5f + 0.5f * c.animation_quality[k];
  }
  // The organisation's part, likewise.
  std::vector<OrgHot>& org_hot = B.org_hot;
  org_hot.resize(o.size());
  for (std::uint32_t j = 0; j < o.size(); ++j)
    org_hot[j] = {o.competition[j], o.allow[j], o.territory[j]};
  const double join_more = cp.join_more_rate * ctx.shock.bridging_multiplier;
  const double gain = eff.engagement_gain, decay = eff.engagement_decay;
  const double h_act = pp.hours_per_activity, h_travel = pp.travel_hours;
  const float e0 = static_cast<float>(ep.initial);

  B.C = C;
  B.T = T;
  B.NP = NP;
  tbb::enumerable_thread_specific<Local>& locals = B.locals;
  for (Local& L : locals) L.reset(C, T, NP);

  const std::uint32_t N = m.created;
  const std::uint32_t blocks = (N + kBlock - 1) / kBlock;
  // Prefetching pays only when the CdPs' and organisations' records a member may touch do not fit
  // in the core's cache with room to spare (about 1 M members and more); below that the hints are
  // instructions for nothing. A hint never changes a result.
  const bool prefetch = static_cast<std::size_t>(C) * (sizeof(CdpHot) + sizeof(AccRow)) +
                            static_cast<std::size_t>(o.size()) * sizeof(OrgHot) >
                        kPrefetchAbove;
  // The arrays as raw pointers, hoisted: the sweep stores bytes (tiers, flags), which may alias
  // anything, so through the vectors the compiler would reload every data pointer after each store.
  const std::uint32_t* const org_of = m.org.data();
  const float* const budget = m.time_budget.data();
  const float* const threshold = m.threshold.data();
  const float* const propensity = m.propensity.data();
  const float* const skill_digital = m.skill_digital.data();
  float* const trust = m.trust.data();
  std::uint8_t* const status = m.status.data();
  std::int32_t* const idle_since = m.idle_since.data();
  std::uint32_t* const contributions = m.contributions.data();
  std::uint32_t* const slot_cdp = m.slot_cdp.data();
  float* const slot_eng = m.slot_eng.data();
  const std::int32_t* const slot_since = m.slot_since.data();
  std::uint8_t* const slot_tier = m.slot_tier.data();
  std::uint8_t* const slot_flags = m.slot_flags.data();
  const CdpHot* const hot_of = hot.data();
  const OrgHot* const org_hot_of = org_hot.data();
  const double engagement_weight = pp.engagement_weight, noise_scale = pp.noise_scale;
  const double drop_threshold = cp.drop_threshold, drop_rate = cp.drop_rate;
  const std::int32_t newcomer_weeks = cp.newcomer_weeks;
  const double trust_gain = eff.trust_gain, trust_decay = s.sharing.trust_decay;
  const double openness_cost = s.sharing.openness_trust_cost;
  const double active_threshold = ep.active_threshold;
  const std::uint8_t registered_status = static_cast<std::uint8_t>(MemberStatus::registered);
  parallel_over(tbb::blocked_range<std::uint32_t>(0, blocks, 1), [&](const auto& br) {
    Local& L = locals.local();
    MemberWeekTotals& t = L.t;
    AccRow* const acc_of = L.acc.data();
    std::int64_t* const flow_of = L.flow.data();
    std::int64_t* const users_of = L.users.data();
    std::int64_t* const registered_in = L.registered.data();
    // This block's counts, in registers; added to the thread's totals once per block.
    std::int64_t no_time = 0, declined = 0, memberships = 0, engagement_fx = 0, shared_fx = 0;
    std::int64_t n_inperson = 0, n_online = 0, all_posts = 0, active_members = 0, dropped = 0;
    std::int64_t membership_tiers[3] = {0, 0, 0}, tiers[3] = {0, 0, 0};
    for (std::uint32_t b = br.begin(); b != br.end(); ++b) {
      const std::uint32_t i_end = std::min(N, (b + 1) * kBlock);
      for (std::uint32_t i = b * kBlock; i < i_end; ++i) {
        // A member's organisation and CdPs sit at random places. Ask for those of the member
        // kAhead places on, so that several misses are in flight at once.
        if (prefetch && i + kAhead < i_end) {
          const std::uint32_t j = i + kAhead;
          __builtin_prefetch(&org_hot_of[org_of[j]]);
          const std::uint32_t* next = slot_cdp + static_cast<std::size_t>(j) * K;
          for (int k = 0; k < K; ++k) {
            if (next[k] == kNone) continue;
            __builtin_prefetch(&hot_of[next[k]]);
            __builtin_prefetch(&acc_of[next[k]], 1);
          }
        }
        if (status[i] != registered_status) continue;
        const OrgHot& oh = org_hot_of[org_of[i]];
        const double comp = oh.competition;
        double left = budget[i] * oh.allow;
        const double tau = effective_trust(eff.eco_trust, shifted(trust[i], eff.trust_shift));
        const double share = sharing_probability(comp, tau);
        const double dig = 0.5 + 0.5 * skill_digital[i];
        const std::size_t base = static_cast<std::size_t>(i) * K;
        std::uint32_t active_cdps[kMaxMemberships];
        int n_active = 0, n_slots = 0, top_tier = 0;
        std::uint32_t posts = 0;
        double openness_seen = 0.0;
        float max_e = 0.0f;
        std::uint32_t online_platforms[kMaxMemberships];
        int n_online_platforms = 0;
        for (int k = 0; k < K; ++k) {
          const std::size_t sl = base + k;
          const std::uint32_t cd = slot_cdp[sl];
          if (cd == kNone) continue;
          const CdpHot& h = hot_of[cd];
          if (!h.alive) {  // the CdP dissolved: the membership ends with it
            slot_cdp[sl] = kNone;
            continue;
          }
          // Drawn only when a decision needs it: a member without the time for any activity
          // (the commonest case) costs no draw unless its membership may lapse. Each uniform is
          // converted from its word only when used.
          r123::Philox4x32::ctr_type u{};
          bool drawn = false;
          const auto draw = [&] {
            if (!drawn) u = ctx.rng.raw(stream::participation, week, i, k);
            drawn = true;
          };
          double e = slot_eng[sl];
          bool in_person = false;
          double hours = h_act;
          if (left >= h_act) {
            draw();
            in_person = Rng::unit(u.v[1]) < h.inperson_p;
            if (in_person) hours += h_travel;
          }
          bool part = false;
          if (left >= hours) {
            double benefit = h.base_b + engagement_weight * e;
            if (!in_person) benefit += h.online_b * dig;
            const double cost = participation_cost(pp, hours, left, comp, tau);
            // participation_probability's logistic, decided exactly (sim/decide.hpp).
            part = below_logistic(Rng::unit(u.v[0]), (benefit - cost - threshold[i]) / noise_scale);
            declined += !part;
          } else {
            ++no_time;
          }
          std::uint8_t flags = slot_flags[sl];
          bool drop = false;
          int n = 0;
          if (part) {
            left -= hours;
            n = poisson_near(Rng::unit(u.v[2]),
                             contribution_rate(pp, slot_tier[sl], propensity[i]));
            e = engagement_after(e, true, gain, decay, h.q);
            flags |= kActiveNow;
            if (n > 0 && !(flags & kPosted)) {
              flags |= kPosted;
              if (week - slot_since[sl] < newcomer_weeks) {
                const Uniform4 x = ctx.rng.uniforms(stream::participation, week, i, kReplyDraw + k);
                const bool replied = x.u[0] < h.reply_p;
                const bool back =
                    x.u[1] < (replied ? cp.return_with_reply : cp.return_without_reply);
                ++t.first_posts;
                t.replies += replied;
                t.returns += back;
                t.returns_replied += (replied && back);
                if (replied) flags |= kReplied;
                drop = !back;
              }
            }
          } else {
            e = engagement_after(e, false, gain, decay, h.q);
            flags &= static_cast<std::uint8_t>(~kActiveNow);
            if (e < drop_threshold) {
              draw();
              drop = Rng::unit(u.v[3]) < drop_rate;
            }
          }
          const std::uint8_t tier = tier_of(ep, e);
          slot_eng[sl] = static_cast<float>(e);
          slot_tier[sl] = tier;
          slot_flags[sl] = flags;
          // This week's aggregates include the membership even if it ends now.
          std::int64_t* a = acc_of[cd].v;
          a[kMembers] += 1;
          memberships += 1;
          membership_tiers[tier] += 1;
          engagement_fx += static_cast<std::int64_t>(e * kFixed);
          if (part) {
            a[kActive] += 1;
            a[kContrib] += n;
            a[in_person ? kInperson : kOnline] += 1;
            const auto sh = static_cast<std::int64_t>(n * share * kFixed);
            a[kShared] += sh;
            flow_of[oh.territory] += sh;
            shared_fx += sh;
            posts += n;
            if (!in_person) {
              openness_seen = std::max(openness_seen, h.openness);
              const std::uint32_t pl = h.platform;
              if (std::find(online_platforms, online_platforms + n_online_platforms, pl) ==
                  online_platforms + n_online_platforms) {
                online_platforms[n_online_platforms++] = pl;
                users_of[pl] += 1;  // a member counts once per platform
              }
            }
            if (n_active < 4) active_cdps[n_active++] = cd;
            if (in_person)
              ++n_inperson;
            else
              ++n_online;
          }
          if (tier == 2) {
            a[kCore] += 1;
            const std::int64_t cand =
                (static_cast<std::int64_t>(e * (1 << 20)) << 32) | static_cast<std::int64_t>(i);
            if (cand > a[kBest]) a[kBest] = cand;
          }
          top_tier = std::max<int>(top_tier, tier);
          max_e = std::max(max_e, static_cast<float>(e));
          if (drop) {
            slot_cdp[sl] = kNone;
            ++dropped;
          } else {
            ++n_slots;
          }
        }
        // Trust and totals.
        const bool any = n_active > 0;
        trust[i] = static_cast<float>(
            trust_after(trust[i], any, trust_gain, trust_decay, openness_cost, openness_seen));
        contributions[i] += posts;
        all_posts += posts;
        active_members += any;
        tiers[top_tier] += 1;
        if (n_active >= 2) {
          ++t.multi_members;
          // Insertion sort: at most four entries (and std::sort trips GCC 12's -Warray-bounds
          // here).
          for (int x = 1; x < n_active; ++x)
            for (int y = x; y > 0 && active_cdps[y - 1] > active_cdps[y]; --y)
              std::swap(active_cdps[y - 1], active_cdps[y]);
          for (int x = 0; x < n_active; ++x)
            for (int y = x + 1; y < n_active; ++y)
              L.pairs.push_back((static_cast<std::uint64_t>(active_cdps[x]) << 32) |
                                active_cdps[y]);
        }
        // Joining another CdP, rejoining, or leaving the ecosystem.
        registered_in[oh.territory] += 1;
        // Drawn only when a decision needs it (a draw is a pure function of its counter, so
        // skipping it changes nothing else).
        const bool may_join = n_slots < K && max_e >= active_threshold;
        if (n_slots > 0 && !may_join) continue;
        const Uniform4 v = ctx.rng.uniforms(stream::member_weekly, week, i);
        if (n_slots == 0) {
          if (idle_since[i] < 0) idle_since[i] = week;
          if (week - idle_since[i] >= cp.idle_exit_weeks && v.u[0] < cp.exit_rate) {
            status[i] = static_cast<std::uint8_t>(MemberStatus::left);
            ++t.exits;
          } else if (v.u[2] < cp.rejoin_rate) {
            const std::uint32_t cd = chooser.pick(oh.territory, v.u[1]);
            if (cd != kNone && add_membership(w, i, cd, e0, week)) ++t.rejoined;
          }
        } else if (v.u[0] < join_more) {
          const std::uint32_t cd = chooser.pick(oh.territory, v.u[1]);
          if (cd != kNone && add_membership(w, i, cd, e0, week)) ++t.joined_more;
        }
      }
    }
    t.no_time += no_time;
    t.declined += declined;
    t.memberships += memberships;
    t.engagement_fx += engagement_fx;
    t.shared_fx += shared_fx;
    t.inperson += n_inperson;
    t.online += n_online;
    t.contributions += all_posts;
    t.active_members += active_members;
    t.dropped += dropped;
    for (int j = 0; j < 3; ++j) {
      t.membership_tiers[j] += membership_tiers[j];
      t.tiers[j] += tiers[j];
    }
  });

  // Combine: integer sums and maxima do not depend on the order of threads.
  MemberWeekTotals tot;
  std::vector<AccRow>& acc = B.acc;
  acc.assign(C, AccRow{});
  std::vector<std::int64_t>&flow = B.flow, &users = B.users, &registered = B.registered;
  flow.assign(T, 0);
  users.assign(NP, 0);
  registered.assign(T, 0);
  std::vector<std::uint64_t>& pairs = B.pairs;
  pairs.clear();
  for (Local& L : locals) {
    for (std::uint32_t k = 0; k < C; ++k) {
      std::int64_t* a = acc[k].v;
      const std::int64_t* b = L.acc[k].v;
      for (int f = 0; f < kBest; ++f) a[f] += b[f];
      a[kBest] = std::max(a[kBest], b[kBest]);
    }
    for (std::uint32_t t = 0; t < T; ++t) {
      flow[t] += L.flow[t];
      registered[t] += L.registered[t];
    }
    for (std::uint32_t p = 0; p < NP; ++p) users[p] += L.users[p];
    const MemberWeekTotals& x = L.t;
    tot.active_members += x.active_members;
    tot.contributions += x.contributions;
    tot.inperson += x.inperson;
    tot.online += x.online;
    tot.memberships += x.memberships;
    tot.engagement_fx += x.engagement_fx;
    tot.shared_fx += x.shared_fx;
    for (int j = 0; j < 3; ++j) {
      tot.tiers[j] += x.tiers[j];
      tot.membership_tiers[j] += x.membership_tiers[j];
    }
    tot.no_time += x.no_time;
    tot.declined += x.declined;
    tot.rejoined += x.rejoined;
    tot.first_posts += x.first_posts;
    tot.replies += x.replies;
    tot.returns += x.returns;
    tot.returns_replied += x.returns_replied;
    tot.dropped += x.dropped;
    tot.joined_more += x.joined_more;
    tot.exits += x.exits;
    tot.multi_members += x.multi_members;
    pairs.insert(pairs.end(), L.pairs.begin(), L.pairs.end());
  }
  std::sort(pairs.begin(), pairs.end());
  tot.pairs = pairs;
  for (std::uint32_t k = 0; k < C; ++k) {
    const std::int64_t* a = acc[k].v;
    c.members[k] = static_cast<std::int32_t>(a[kMembers]);
    c.active[k] = static_cast<std::int32_t>(a[kActive]);
    c.core[k] = static_cast<std::int32_t>(a[kCore]);
    c.contributions[k] = static_cast<std::int32_t>(a[kContrib]);
    c.inperson[k] = static_cast<std::int32_t>(a[kInperson]);
    c.online[k] = static_cast<std::int32_t>(a[kOnline]);
    c.shared_fx[k] = a[kShared];
    c.best_core[k] = a[kBest];
  }
  for (std::uint32_t t = 0; t < T; ++t) {
    w.territories.flow_fx[t] = flow[t];
    w.territories.members[t] = registered[t];  // before this week's exits and registrations
  }
  for (std::uint32_t p = 0; p < NP; ++p) w.platforms.active_users[p] = users[p];
  return tot;
}

}  // namespace cdpsim
