// The ecosystem's state as struct-of-arrays stores keyed by dense uint32 ids (docs/model.md,
// "Entities and state variables"). No per-agent heap objects: a million members cost about 100
// bytes each (docs/performance.md).
//
// Memberships use a fixed-capacity slot layout (ELLPACK): member i's memberships are slots
// [i*K, i*K+K) with K = population.max_memberships; an empty slot holds kNone. The CdP-to-CdP link
// matrix built each week from shared members and cross-posts is an Eigen sparse matrix
// (models/repertoire.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/types.hpp"

namespace cdpsim {

struct Territories {
  std::vector<std::string> name;
  std::vector<double> competition;
  std::vector<double> learning;
  std::vector<std::uint32_t> nb_offset;  // CSR of neighbours
  std::vector<std::uint32_t> nb_target;
  // Weekly scratch, filled by the member step.
  std::vector<std::int64_t> flow_fx;  // cross-organisation shared contributions (fixed point)
  std::vector<std::int64_t> members;  // registered members
  [[nodiscard]] std::uint32_t size() const { return static_cast<std::uint32_t>(name.size()); }
};

struct Organisations {
  std::vector<float> culture;                  // collaboration culture [0, 1]
  std::vector<float> value_cdp;                // how much CdP work is valued [0, 1]
  std::vector<float> workload;                 // share of time already taken [0, 1)
  std::vector<float> exposure;                 // exposure to competition [0, 1]
  std::vector<std::uint8_t> sector_frontline;  // 1: health or community front line
  std::vector<std::uint8_t> project_funded;    // 1: project-based funding
  std::vector<std::uint32_t> territory;
  // Derived each week.
  std::vector<float> allow;        // share of members' time budget the organisation allows
  std::vector<float> competition;  // effective competition felt (territory x exposure x funding)
  [[nodiscard]] std::uint32_t size() const { return static_cast<std::uint32_t>(culture.size()); }
};

enum class MemberStatus : std::uint8_t { pool = 0, registered = 1, left = 2 };

// Membership flags.
inline constexpr std::uint8_t kPosted = 1;     // has posted at least once in this CdP
inline constexpr std::uint8_t kReplied = 2;    // first post received a reply
inline constexpr std::uint8_t kActiveNow = 4;  // participated this week

struct Members {
  std::uint32_t capacity = 0;  // potential members (ids 0..capacity-1)
  std::uint32_t created = 0;   // ids below this have been registered at some point
  int slots = 4;               // K

  std::vector<std::uint32_t> org;
  std::vector<float> time_budget;    // h/week
  std::vector<float> threshold;      // participation threshold
  std::vector<float> propensity;     // multiplier of posting rate (log-normal)
  std::vector<float> skill_anim;     // facilitation skill [0, 1]
  std::vector<float> skill_digital;  // digital literacy [0, 1]
  std::vector<float> trust;          // [0, 1]
  std::vector<float> burnout;        // animator burnout [0, 1+]
  std::vector<std::uint8_t> status;
  std::vector<std::uint8_t> trained;  // received capacity-building support
  std::vector<std::int32_t> join_week;
  std::vector<std::int32_t> idle_since;      // week the member lost its last membership (-1: none)
  std::vector<std::uint32_t> contributions;  // total over the run

  // Slots (size capacity * slots).
  std::vector<std::uint32_t> slot_cdp;
  std::vector<float> slot_eng;
  std::vector<std::int32_t> slot_since;
  std::vector<std::uint8_t> slot_tier;
  std::vector<std::uint8_t> slot_flags;
};

struct Cdps {
  std::uint32_t capacity = 0;
  std::uint32_t created = 0;
  std::vector<std::uint8_t> phase;
  // First week in each phase, [k * kPhases + phase], -1: never; data, so that readers need not
  // parse event text.
  std::vector<std::int32_t> phase_entered;
  std::vector<float> theme_clarity;
  std::vector<float> autonomy;
  std::vector<float> inperson_share;
  std::vector<double> repertoire;
  std::vector<double> maturity;
  std::vector<std::uint32_t> animator;  // member id or kNone
  std::vector<std::uint32_t> territory;
  std::vector<std::uint32_t> platform;
  std::vector<std::int32_t> birth_week;
  std::vector<std::int32_t> decline_weeks;
  std::vector<std::int32_t> quiet_weeks;        // weeks without any active member
  std::vector<std::int32_t> last_support_week;  // -1: never supported
  std::vector<std::int32_t> support_weeks;      // weeks with support so far
  std::vector<std::uint8_t> mutual_aid;
  // Derived each week before members act.
  std::vector<float> need_hours;         // animation the CdP needs this week (h)
  std::vector<float> own_hours;          // animation its animator and core give (skill-weighted h)
  std::vector<float> animation_quality;  // A_c in [0, 1]
  std::vector<float> support_given;      // h this week
  std::vector<float> support_demand;     // h this week
  std::vector<double> support_total;     // h over the run
  std::vector<float> health;
  // Aggregates of the previous member step (read by members this week).
  std::vector<std::int32_t> members;
  std::vector<std::int32_t> active;
  std::vector<std::int32_t> core;
  std::vector<std::int32_t> contributions;
  std::vector<std::int32_t> inperson;
  std::vector<std::int32_t> online;
  std::vector<std::int64_t> shared_fx;  // shared contributions, fixed point
  std::vector<std::int64_t> best_core;  // (engagement fixed point << 32) | member id, or -1
  std::vector<std::int32_t> links;      // CdPs linked this week
  [[nodiscard]] bool alive(std::uint32_t c) const {
    return phase[c] != static_cast<std::uint8_t>(Phase::dissolved);
  }
};

struct Platforms {
  std::vector<std::string> name;
  std::vector<double> share;
  std::vector<double> usability;
  std::vector<double> openness;
  std::vector<double> interoperability;
  std::vector<double> quality;             // derived each week (usability x digital_tools x shocks)
  std::vector<double> mass;                // critical-mass S-curve value [0, 1]
  std::vector<std::int64_t> active_users;  // members active online last week
  [[nodiscard]] std::uint32_t size() const { return static_cast<std::uint32_t>(name.size()); }
};

struct Event {
  std::int32_t week;
  EventKind kind;
  std::int32_t cdp;  // -1 when not about one CdP
  std::string detail;
};

// Ecosystem-wide counters kept across weeks.
struct Ecosystem {
  std::int64_t boundary_objects = 0;
};

struct World {
  Territories territories;
  Organisations orgs;
  Members members;
  Cdps cdps;
  Platforms platforms;
  Ecosystem eco;
  std::vector<Event> events;
  std::int32_t week = 0;  // the week being simulated next
};

// Fixed-point scale for deterministic sums of fractional quantities across threads: integer
// addition is associative, floating-point addition is not.
inline constexpr double kFixed = 65536.0;

}  // namespace cdpsim
