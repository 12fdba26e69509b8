// Churn and recruitment (docs/model.md, "Churn and recruitment").
// Newcomers (membership younger than newcomer_weeks): at the first post, a reply comes with
//   P(reply) = min(1, reply_base * reply_factor * (1 - exp(-active_c / 3)) * (0.5 + 0.5 A_c)),
// and the newcomer returns with return_with_reply or return_without_reply (Joyce & Kraut 2006:
// 56% against 44%); one who does not return leaves the CdP. Other memberships end with weekly
// probability drop_rate once engagement falls under drop_threshold.
// Registrations per week (Passerelles growth):
//   R_t = launch_rate exp(-t / launch_decay_weeks)
//         + base_rate (1 + mass_boost mass + openness_boost openness) online_mult
// drawn as Poisson(R_t). A newcomer joins one CdP chosen with weight
//   (active_c + 1)^attractiveness_exponent (0.5 + theme_c) x same_territory_bias (own territory).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "models/context.hpp"
#include "models/world.hpp"

namespace cdpsim {

inline double reply_probability(const ChurnParams& p, double reply_factor, double active,
                                double animation_quality) {
  const double v = p.reply_base * reply_factor * (1.0 - std::exp(-active / 3.0)) *
                   (0.5 + 0.5 * animation_quality);
  return v < 1.0 ? v : 1.0;
}

// Weighted choice of a CdP to join, one cumulative table per territory (built once a week).
class CdpChooser {
 public:
  // theme_shift: Effective::theme_shift (interventions on theme_clarity).
  void build(const World& w, const Scenario& s, double theme_shift = 0.0);
  // A CdP for a member of territory `ter`, from a uniform u; kNone if no CdP is alive.
  [[nodiscard]] std::uint32_t pick(std::uint32_t ter, double u) const;

 private:
  std::vector<std::uint32_t> alive_;
  std::vector<double> cum_;  // territories x alive, row-major
  std::size_t n_ = 0;
};

// Registers a new member (attributes from its id) in organisation `org` at `week`.
void register_member(World& w, const Scenario& s, const Effective& eff, const Rng& rng,
                     std::uint32_t id, std::uint32_t org, std::int32_t week);

// Puts member i into CdP c in a free slot; false if no slot is free or already a member.
bool add_membership(World& w, std::uint32_t i, std::uint32_t c, float engagement,
                    std::int32_t week);

// New registrations of week t; returns how many joined.
std::uint32_t recruit(World& w, const StepContext& ctx, const CdpChooser& chooser);

}  // namespace cdpsim
