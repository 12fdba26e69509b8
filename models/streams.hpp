// The one registry of the model's random streams (ids for sim/rng.hpp's counter-based Rng). Append
// only: renumbering changes every trajectory, and two mechanisms must never share an id.
#pragma once

#include <cstdint>

namespace cdpsim::stream {

inline constexpr std::uint32_t init_organisation = 1;
inline constexpr std::uint32_t init_member = 2;
inline constexpr std::uint32_t init_cdp = 3;
inline constexpr std::uint32_t participation =
    10;  // one block of 4 uniforms per (member, membership slot)
inline constexpr std::uint32_t member_weekly =
    11;  // per-member draws not tied to a membership (join, rejoin, leave)
inline constexpr std::uint32_t recruitment = 12;  // new members: organisation and CdP choice
inline constexpr std::uint32_t cdp_creation = 13;
inline constexpr std::uint32_t animation = 14;  // animator succession
inline constexpr std::uint32_t phases = 15;
inline constexpr std::uint32_t boundary_objects = 16;
inline constexpr std::uint32_t cross_posting = 17;

}  // namespace cdpsim::stream
