// The one run pool (sim/parallel/run_pool.hpp): the round-robin share, every run exactly once,
// the stop flag, progress one call at a time, and the dense gather of a single process.
#include <atomic>
#include <catch2/catch.hpp>
#include <numeric>
#include <set>
#include <vector>

#include "sim/parallel/run_pool.hpp"

using namespace cdpsim;

TEST_CASE("Round-robin share splits pending runs by position", "[unit]") {
  const std::vector<std::int64_t> pending = {3, 4, 7, 9, 10};
  CHECK(round_robin_share(pending, 0, 2) == std::vector<std::int64_t>{3, 7, 10});
  CHECK(round_robin_share(pending, 1, 2) == std::vector<std::int64_t>{4, 9});
  CHECK(round_robin_share(pending, 0, 1) == pending);
  CHECK(round_robin_share(pending, 5, 6).empty());
  CHECK(round_robin_share({}, 0, 2).empty());
}

TEST_CASE("Run pool runs every pending run once and gathers exactly", "[unit][determinism]") {
  ProcessGroup group;
  std::vector<std::int64_t> pending(200);
  std::iota(pending.begin(), pending.end(), 0);
  std::vector<double> values(pending.size(), 0.0);
  std::vector<std::atomic<int>> calls(pending.size());
  std::int64_t last_done = 0;
  bool in_order = true;
  const RunPool pool(group, nullptr, [&](std::int64_t done, std::int64_t total) {
    in_order = in_order && done == last_done + 1 && total == 200;
    last_done = done;
  });
  const PoolOutcome out = pool.run(pending, [&](std::int64_t run) {
    ++calls[static_cast<std::size_t>(run)];
    values[static_cast<std::size_t>(run)] = 0.5 * static_cast<double>(run);
  });
  CHECK(out.done == 200);
  CHECK_FALSE(out.stopped());
  CHECK(in_order);
  for (const auto& c : calls) CHECK(c.load() == 1);
  const std::vector<std::uint8_t> finished = pool.gather(values, out, 200);
  CHECK(std::all_of(finished.begin(), finished.end(), [](std::uint8_t f) { return f == 1; }));
  for (std::size_t r = 0; r < values.size(); ++r) CHECK(values[r] == 0.5 * static_cast<double>(r));
}

TEST_CASE("A stop flag set before the pool starts runs nothing", "[unit]") {
  ProcessGroup group;
  std::atomic<bool> stop{true};
  const RunPool pool(group, &stop);
  const std::vector<std::int64_t> pending = {0, 1, 2, 3};
  std::atomic<int> ran{0};
  const PoolOutcome out = pool.run(pending, [&](std::int64_t) { ++ran; });
  CHECK(ran.load() == 0);
  CHECK(out.done == 0);
  CHECK(out.stopped());
  std::vector<double> values(4, 0.0);
  const std::vector<std::uint8_t> finished = pool.gather(values, out, 4);
  CHECK(finished == std::vector<std::uint8_t>{0, 0, 0, 0});
}

TEST_CASE("A stop request mid-pool keeps the runs started and starts no more", "[unit]") {
  ProcessGroup group;
  std::atomic<bool> stop{false};
  const RunPool pool(group, &stop);
  std::vector<std::int64_t> pending(1000);
  std::iota(pending.begin(), pending.end(), 0);
  std::atomic<int> ran{0};
  const PoolOutcome out = pool.run(pending, [&](std::int64_t) {
    if (++ran == 10) stop = true;
  });
  CHECK(out.stopped());
  CHECK(out.done == ran.load());
  CHECK(ran.load() < 1000);
  CHECK(std::count(out.finished.begin(), out.finished.end(), 1) == out.done);
}
