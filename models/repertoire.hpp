// Repertoire growth and boundary objects between CdPs (docs/model.md, "Repertoire and boundary
// objects"; Wenger's boundary objects, Cowan & Jonard 2004 on diffusion over links).
// Links of week t form a symmetric sparse matrix W (Eigen): +1 per member active in both CdPs,
// +0.5 per cross-post. Cross-posts from CdP c: Poisson(contributions_c * cross_post_rate), each to
// a random other alive CdP on the same platform, or on any platform with probability equal to
// the platform's interoperability.
//   boundary objects on link (a, b): Poisson(boundary_rate * W_ab * g_a g_b),
//        g = R / (R + boundary_half)                          (both sides must know something)
//   R_c' = (1 - forgetting (1 - 0.5 autonomy_c)) R_c + learning_rate * shared_c
//          + boundary_knowledge * (boundary objects touching c)
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "models/context.hpp"
#include "models/world.hpp"

namespace cdpsim {

struct RepertoireTotals {
  std::int64_t cross_posts = 0;
  std::int64_t new_boundary_objects = 0;
  std::int64_t linked_pairs = 0;    // distinct CdP pairs linked this week
  std::int64_t bridging_pairs = 0;  // distinct pairs linked by shared active members
  double knowledge_stock = 0.0;     // sum of repertoires of alive CdPs
};

RepertoireTotals update_repertoire(World& w, const StepContext& ctx,
                                   std::span<const std::uint64_t> sorted_pairs);

}  // namespace cdpsim
