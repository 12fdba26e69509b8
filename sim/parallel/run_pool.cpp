#include "sim/parallel/run_pool.hpp"

#include <tbb/blocked_range.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <mutex>
#include <numeric>

#include "sim/parallel/parallel_over.hpp"

namespace cdpsim {

std::vector<std::int64_t> run_indices(std::int64_t n) {
  std::vector<std::int64_t> all(static_cast<std::size_t>(std::max<std::int64_t>(n, 0)));
  std::iota(all.begin(), all.end(), std::int64_t{0});
  return all;
}

std::vector<std::int64_t> round_robin_share(std::span<const std::int64_t> pending, int rank,
                                            int size) {
  std::vector<std::int64_t> mine;
  for (std::size_t i = 0; i < pending.size(); ++i)
    if (static_cast<int>(i % static_cast<std::size_t>(size)) == rank) mine.push_back(pending[i]);
  return mine;
}

PoolOutcome RunPool::run(std::span<const std::int64_t> pending,
                         const std::function<void(std::int64_t)>& task) const {
  PoolOutcome out;
  out.mine = round_robin_share(pending, group_.rank(), group_.size());
  out.finished.assign(out.mine.size(), 0);
  const auto total = static_cast<std::int64_t>(out.mine.size());
  std::mutex done_mutex;
  // One run per task: runs are long (tens of milliseconds and more), so grain 1 balances best.
  parallel_over(
      tbb::blocked_range<std::size_t>(0, out.mine.size(), 1),
      [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
          if (stop_ && stop_->load()) return;
          tbb::this_task_arena::isolate([&] { task(out.mine[i]); });
          out.finished[i] = 1;
          const std::lock_guard<std::mutex> lock(done_mutex);
          ++out.done;
          if (on_done_) on_done_(out.done, total);
        }
      },
      tbb::simple_partitioner());
  return out;
}

std::vector<std::uint8_t> RunPool::gather(std::vector<double>& values, const PoolOutcome& outcome,
                                          std::int64_t n_runs) const {
  std::vector<double> finished(static_cast<std::size_t>(n_runs), 0.0);
  for (std::size_t i = 0; i < outcome.mine.size(); ++i)
    if (outcome.finished[i]) finished[static_cast<std::size_t>(outcome.mine[i])] = 1.0;
  group_.sum_to_root(values);
  group_.sum_to_root(finished);
  std::vector<std::uint8_t> out(finished.size());
  for (std::size_t r = 0; r < finished.size(); ++r) out[r] = finished[r] > 0.0 ? 1 : 0;
  return out;
}

}  // namespace cdpsim
