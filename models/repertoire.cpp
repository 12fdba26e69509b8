#include "models/repertoire.hpp"

#include <Eigen/SparseCore>
#include <algorithm>

namespace cdpsim {

RepertoireTotals update_repertoire(World& w, const StepContext& ctx,
                                   std::span<const std::uint64_t> sorted_pairs) {
  const RepertoireParams& p = ctx.s.repertoire;
  Cdps& c = w.cdps;
  const Platforms& P = w.platforms;
  const auto C = static_cast<Eigen::Index>(c.created);
  RepertoireTotals tot;

  std::vector<Eigen::Triplet<double>> trip;
  for (std::size_t j = 0; j < sorted_pairs.size();) {
    std::size_t e = j;
    while (e < sorted_pairs.size() && sorted_pairs[e] == sorted_pairs[j]) ++e;
    const auto a = static_cast<Eigen::Index>(sorted_pairs[j] >> 32);
    const auto b = static_cast<Eigen::Index>(sorted_pairs[j] & 0xFFFFFFFFu);
    const double wgt = static_cast<double>(e - j);
    trip.emplace_back(a, b, wgt);
    trip.emplace_back(b, a, wgt);
    ++tot.bridging_pairs;
    j = e;
  }

  // Cross-posting: targets drawn per CdP from its own counter, in CdP order.
  std::vector<std::uint32_t> alive;
  std::vector<std::vector<std::uint32_t>> by_platform(P.size());
  for (std::uint32_t k = 0; k < c.created; ++k)
    if (c.alive(k)) {
      alive.push_back(k);
      by_platform[c.platform[k]].push_back(k);
    }
  for (std::uint32_t k : alive) {
    if (c.contributions[k] <= 0 || alive.size() < 2) continue;
    const Uniform4 u = ctx.rng.uniforms(stream::cross_posting, ctx.week, k, 0);
    const int n =
        poisson_from(u.u[0], c.contributions[k] * ctx.eff.cross_post_rate, u.u[1], u.u[2]);
    for (int j = 0; j < n; ++j) {
      const Uniform4 v = ctx.rng.uniforms(stream::cross_posting, ctx.week, k, 1 + j);
      const auto& pool =
          v.u[0] < P.interoperability[c.platform[k]] ? alive : by_platform[c.platform[k]];
      if (pool.size() < 2) continue;
      std::uint32_t target =
          pool[std::min(pool.size() - 1, static_cast<std::size_t>(v.u[1] * pool.size()))];
      if (target == k) continue;
      trip.emplace_back(k, target, 0.5);
      trip.emplace_back(target, k, 0.5);
      ++tot.cross_posts;
    }
  }

  Eigen::SparseMatrix<double> W(C, C);
  W.setFromTriplets(trip.begin(), trip.end());  // duplicates summed in triplet order: deterministic
  W.makeCompressed();

  std::vector<std::int64_t> bo(c.created, 0);
  for (Eigen::Index col = 0; col < W.outerSize(); ++col) {
    c.links[col] = static_cast<std::int32_t>(W.col(col).nonZeros());
    for (Eigen::SparseMatrix<double>::InnerIterator it(W, col); it; ++it) {
      const Eigen::Index row = it.row();
      if (row >= col) continue;  // each undirected link once
      ++tot.linked_pairs;
      const double ga = c.repertoire[row] / (c.repertoire[row] + p.boundary_half);
      const double gb = c.repertoire[col] / (c.repertoire[col] + p.boundary_half);
      const double lambda = ctx.eff.boundary_rate * it.value() * ga * gb;
      if (lambda <= 0) continue;
      const Uniform4 u =
          ctx.rng.uniforms(stream::boundary_objects, ctx.week, static_cast<std::uint32_t>(row),
                           static_cast<std::uint32_t>(col));
      const int n = poisson_from(u.u[0], lambda, u.u[1], u.u[2]);
      bo[row] += n;
      bo[col] += n;
      tot.new_boundary_objects += n;
    }
  }
  w.eco.boundary_objects += tot.new_boundary_objects;

  for (std::uint32_t k : alive) {
    const double forget =
        p.forgetting * (1.0 - 0.5 * shifted(c.autonomy[k], ctx.eff.autonomy_shift));
    c.repertoire[k] = (1.0 - forget) * c.repertoire[k] +
                      p.learning_rate * (static_cast<double>(c.shared_fx[k]) / kFixed) +
                      p.boundary_knowledge * static_cast<double>(bo[k]);
    tot.knowledge_stock += c.repertoire[k];
  }
  return tot;
}

}  // namespace cdpsim
