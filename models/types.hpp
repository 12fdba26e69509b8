// Categorical states shared by several mechanisms (docs/model.md, "Entities and state variables").
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace cdpsim {

// The most CdPs one member belongs to at once: the width of a member's membership slots
// (models/world.hpp) and of every per-member slot array; population.max_memberships is capped at
// it.
inline constexpr int kMaxMemberships = 4;

// CdP lifecycle (Wenger, McDermott & Snyder 2002), plus the absorbing "dissolved".
enum class Phase : std::uint8_t {
  potential = 0,
  coalescing = 1,
  maturing = 2,
  stewardship = 3,
  transformation = 4,
  dissolved = 5,
};
inline constexpr int kPhases = 6;
inline constexpr std::array<std::string_view, kPhases> kPhaseNames = {
    "potential", "coalescing", "maturing", "stewardship", "transformation", "dissolved"};

// Participation tiers of a membership (and of a member: the highest over memberships).
enum class Tier : std::uint8_t { peripheral = 0, active = 1, core = 2 };
inline constexpr int kTiers = 3;
inline constexpr std::array<std::string_view, kTiers> kTierNames = {"peripheral", "active", "core"};

enum class SupportMode : std::uint8_t { none, expert, capacity_building };
enum class AllocationPolicy : std::uint8_t { neediest, first_come, proportional };
enum class ShockKind : std::uint8_t { pandemic, funding_cut, platform_migration };

// Kinds of rows in the events table of the output.
enum class EventKind : std::uint8_t {
  shock_start = 0,
  shock_end = 1,
  cdp_created = 2,
  phase_change = 3,
  cdp_dissolved = 4,
  animator_burnout = 5,
  animator_succession = 6,
  intervention_start = 7,  // a scheduled intervention comes into force (detail: name: key)
  intervention_end = 8,
  trigger_on = 9,  // a triggered intervention switches on (detail: name: condition)
  trigger_off = 10,
  budget_exhausted = 11,  // a programme has spent its budget and stops
};
inline constexpr std::array<std::string_view, 12> kEventNames = {
    "shock_start",      "shock_end",        "cdp_created",         "phase_change",
    "cdp_dissolved",    "animator_burnout", "animator_succession", "intervention_start",
    "intervention_end", "trigger_on",       "trigger_off",         "budget_exhausted"};

inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

}  // namespace cdpsim
