#include "experiments/ensemble/ensemble.hpp"

#include <chrono>

#include "experiments/durable.hpp"
#include "experiments/metrics/metrics.hpp"

namespace cdpsim {

RunLayout RunLayout::of(const EnsemblePlan& plan) {
  RunLayout l;
  l.weeks = static_cast<std::size_t>(plan.base.simulation.weeks);
  l.sizes = AxisSizes{plan.base.territories.size(), plan.base.platforms.size()};
  for (const SeriesDef& d : weekly_series()) {
    const std::size_t w = axis_width(d.axis, l.sizes);
    std::size_t& used = d.integer ? l.ints : l.reals;
    l.offset.push_back(used);
    l.width.push_back(w);
    used += l.weeks * w;
  }
  return l;
}

std::int64_t run_checksum(const EnsemblePlan& plan, const RunLayout& layout, std::int64_t run,
                          const RunRecord& r) {
  Fnv1a h;
  h.integer(run);
  h.integer(static_cast<std::int64_t>(plan.seed_of(run)));
  const auto& defs = weekly_series();
  for (std::size_t k = 0; k < defs.size(); ++k) {
    const std::size_t n = layout.weeks * layout.width[k];
    if (defs[k].integer)
      h.values(std::span<const std::int64_t>(r.ints).subspan(layout.offset[k], n));
    else
      h.values(std::span<const double>(r.reals).subspan(layout.offset[k], n));
  }
  h.values(std::span<const double>(r.metrics));
  return h.stored();
}

RunRecord simulate_run(const EnsemblePlan& plan, const RunLayout& layout, std::int64_t run) {
  const Scenario& s = plan.scenarios[static_cast<std::size_t>(plan.point_of(run))];
  const auto t0 = std::chrono::steady_clock::now();
  const auto point = static_cast<std::size_t>(plan.point_of(run));
  const RunSummary summary =
      plan.starts.empty() ? simulate_summary(s, plan.seed_of(run))
                          : simulate_summary(s, reseeded(plan.seed_of(run), plan.branch_week), -1,
                                             {}, plan.starts[point].get());
  RunRecord r;
  r.simulate_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.ints.resize(layout.ints);
  r.reals.resize(layout.reals);
  const auto& defs = weekly_series();
  for (std::size_t k = 0; k < defs.size(); ++k) {
    if (defs[k].integer)
      extract_series(defs[k], summary.weeks, layout.width[k], r.ints.data() + layout.offset[k]);
    else
      extract_series(defs[k], summary.weeks, layout.width[k], r.reals.data() + layout.offset[k]);
  }
  for (const Metric* m : ecosystem_metrics()) r.metrics.push_back(metric_value(summary, m->name));
  r.checksum = run_checksum(plan, layout, run, r);
  return r;
}

}  // namespace cdpsim
