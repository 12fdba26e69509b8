// One run of an ensemble plan and what an ensemble file keeps of it: its weekly series and its
// outcome metrics. Results are stored by run index, so they do not depend on the thread count or
// on the order in which runs finish (the runs themselves go through sim/parallel/run_pool.hpp).
//
//   RunStore store(0, plan.runs());
//   store.put(run, simulate_run(plan, RunLayout::of(plan), run));
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiments/ensemble/design.hpp"
#include "models/series.hpp"

namespace cdpsim {

// Where each weekly series sits in a RunRecord: series of weekly_series() with integer values are
// concatenated in `ints`, the others in `reals`, each as weeks x width values.
struct RunLayout {
  std::size_t weeks = 0;
  AxisSizes sizes;
  std::vector<std::size_t> offset;  // [series] into ints or reals
  std::vector<std::size_t> width;   // [series]
  std::size_t ints = 0, reals = 0;

  static RunLayout of(const EnsemblePlan& plan);
};

// What the file keeps of one finished run.
struct RunRecord {
  std::vector<std::int64_t> ints;
  std::vector<double> reals;
  std::vector<double> metrics;    // ecosystem_metrics() order
  std::int64_t checksum = 0;      // run_checksum() of this record, stored as run_checksum
  double simulate_seconds = 0.0;  // the simulation alone (not stored): measures the overhead
};

// FNV-1a 64 (experiments/durable.hpp) of the run's index and seed, then of its values in file
// order: each weekly series of weekly_series() (int64 or float64, weeks x width), then its
// metrics. Stored per run in the file (run_checksum) and recomputed by --resume and merge.
std::int64_t run_checksum(const EnsemblePlan& plan, const RunLayout& layout, std::int64_t run,
                          const RunRecord& r);

// Finished runs of the run range [begin, end). put() on distinct runs is safe from any thread, and
// so are has() and get() while other runs are put (a run is visible once put() has returned), so
// a background save can write the finished runs while the others run. A run is put once.
class RunStore {
 public:
  RunStore(std::int64_t begin, std::int64_t end)
      : begin_(begin),
        records_(static_cast<std::size_t>(end - begin)),
        ready_(std::make_unique<std::atomic<std::uint8_t>[]>(records_.size())) {}
  [[nodiscard]] std::int64_t begin() const { return begin_; }
  [[nodiscard]] std::int64_t end() const {
    return begin_ + static_cast<std::int64_t>(records_.size());
  }
  void put(std::int64_t run, RunRecord r) {
    records_.at(index(run)) = std::move(r);
    ready_[index(run)].store(1, std::memory_order_release);
  }
  [[nodiscard]] const RunRecord* get(std::int64_t run) const {
    const std::size_t i = index(run);
    if (i >= records_.size())
      throw std::out_of_range("run " + std::to_string(run) + " outside the store");
    return ready_[i].load(std::memory_order_acquire) ? &*records_[i] : nullptr;
  }
  [[nodiscard]] bool has(std::int64_t run) const { return get(run) != nullptr; }

 private:
  [[nodiscard]] std::size_t index(std::int64_t run) const {
    return static_cast<std::size_t>(run - begin_);
  }
  std::int64_t begin_;
  std::vector<std::optional<RunRecord>> records_;
  std::unique_ptr<std::atomic<std::uint8_t>[]> ready_;
};

// Simulates run `run` of the plan (its point's scenario, its replicate's seed).
RunRecord simulate_run(const EnsemblePlan& plan, const RunLayout& layout, std::int64_t run);

}  // namespace cdpsim
