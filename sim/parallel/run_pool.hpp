// The one way cdpsim runs many independent runs (ensemble, compare, sensitivity, facts, and
// whatever comes next): this process's round-robin share of the runs over MPI ranks, one run per
// oneTBB task, each isolated so that a thread waiting inside a run's own parallel loops never
// starts a second run on its stack, a stop flag (Ctrl-C) checked before each run, progress
// reported one call at a time, and the gathering of dense per-run results to rank 0.
//
//   RunPool pool(group, &stop, on_done);
//   std::vector<double> values(n * width, 0.0);       // each rank fills its runs only
//   const PoolOutcome o = pool.run(pending, [&](std::int64_t run) { values[...] = ...; });
//   pool.gather(values, o);                           // rank 0 now holds every rank's runs
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "sim/parallel/process_group.hpp"

namespace cdpsim {

// Called after each finished run with (finished on this rank, this rank's share).
using RunProgress = std::function<void(std::int64_t done, std::int64_t total)>;

// Every run of an experiment of n runs: 0, 1, ..., n - 1.
std::vector<std::int64_t> run_indices(std::int64_t n);

// This rank's runs: pending[i] for every i with i mod size == rank.
std::vector<std::int64_t> round_robin_share(std::span<const std::int64_t> pending, int rank,
                                            int size);

struct PoolOutcome {
  std::vector<std::int64_t> mine;      // this rank's share, in order
  std::vector<std::uint8_t> finished;  // [i]: mine[i] finished
  std::int64_t done = 0;               // finished runs on this rank
  [[nodiscard]] bool stopped() const { return done < static_cast<std::int64_t>(mine.size()); }
};

class RunPool {
 public:
  // `stop` and `on_done` may be null / empty.
  RunPool(ProcessGroup& group, const std::atomic<bool>* stop, RunProgress on_done = {})
      : group_(group), stop_(stop), on_done_(std::move(on_done)) {}

  [[nodiscard]] ProcessGroup& group() const { return group_; }

  // Runs task(run) for this rank's share of `pending`, in parallel. Once the stop flag is set no
  // new run starts; runs already started finish. task must be safe to call concurrently for
  // distinct runs (write only to slots of its own run).
  PoolOutcome run(std::span<const std::int64_t> pending,
                  const std::function<void(std::int64_t run)>& task) const;

  // Dense results: every rank wrote only its own runs' slots of `values` (zeros elsewhere), so an
  // element-wise sum to rank 0 is exact. Also returns, on rank 0, which of `n_runs` runs finished
  // on any rank (finished[run] = 1). Every rank must call it with the same sizes.
  std::vector<std::uint8_t> gather(std::vector<double>& values, const PoolOutcome& outcome,
                                   std::int64_t n_runs) const;

 private:
  ProcessGroup& group_;
  const std::atomic<bool>* stop_;
  RunProgress on_done_;
};

}  // namespace cdpsim
