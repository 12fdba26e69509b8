#include "experiments/ensemble/ensemble.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <mutex>

#include "experiments/metrics/summary.hpp"

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

RunRecord simulate_run(const EnsemblePlan& plan, const RunLayout& layout, std::int64_t run) {
  const Scenario& s = plan.scenarios[static_cast<std::size_t>(plan.point_of(run))];
  const auto t0 = std::chrono::steady_clock::now();
  const RunSummary summary = simulate_summary(s, plan.seed_of(run));
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
  for (const MetricInfo& m : metric_catalogue()) r.metrics.push_back(metric_value(summary, m.name));
  return r;
}

RunsDone run_runs(const EnsemblePlan& plan, std::span<const std::int64_t> runs, RunStore& store,
                  const std::atomic<bool>* stop, const std::function<void(std::int64_t)>& on_done) {
  const RunLayout layout = RunLayout::of(plan);
  std::mutex done_mutex;
  RunsDone done;
  // One run per task: runs are long (tens of milliseconds and more), so grain 1 balances best.
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, runs.size(), 1),
      [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
          if (stop && stop->load()) return;
          // Isolated so that a thread waiting inside this run's parallel loops does not start
          // another whole run (which would hold two worlds in memory on one stack).
          RunRecord r;
          tbb::this_task_arena::isolate([&] { r = simulate_run(plan, layout, runs[i]); });
          const double seconds = r.simulate_seconds;
          store.put(runs[i], std::move(r));
          const std::lock_guard<std::mutex> lock(done_mutex);
          ++done.runs;
          done.simulate_seconds += seconds;
          if (on_done) on_done(done.runs);
        }
      },
      tbb::simple_partitioner());
  return done;
}

}  // namespace cdpsim
