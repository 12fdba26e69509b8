// Member-weeks simulated per second, at 100k and 1M members, with 1 and 2 threads.
//   build/bench/cdpsim_bench --benchmark_counters_tabular=true
// Reported in docs/performance.md. The scenario is Passerelles scaled up: every member exists
// from week 0 (no pool), about 50 members per CdP.
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <memory>
#include <string>

#include "models/scenario.hpp"
#include "models/schedule.hpp"
#include "experiments/scenario_io.hpp"

namespace {

cdpsim::Scenario scaled(std::int64_t members) {
  const std::string src = std::string(CDPSIM_SOURCE_DIR) + "/scenarios/passerelles.toml";
  return cdpsim::load_scenario(
      src, {"population.initial_members=" + std::to_string(members),
            "population.potential_members=" + std::to_string(members + members / 10),
            "population.organisations=" + std::to_string(members / 20),
            "population.initial_cdps=" + std::to_string(members / 50),
            "population.max_cdps=" + std::to_string(members / 25), "recruitment.launch_rate=0",
            "output.per_cdp_series=false"});
}

void BM_Week(benchmark::State& state) {
  const std::int64_t members = state.range(0);
  const int threads = static_cast<int>(state.range(1));
  static std::unique_ptr<cdpsim::Scenario> scenario;
  static std::int64_t scenario_members = -1;
  if (scenario_members != members) {
    scenario = std::make_unique<cdpsim::Scenario>(scaled(members));
    scenario_members = members;
  }
  tbb::task_arena arena(threads);
  std::unique_ptr<cdpsim::Simulation> sim;
  arena.execute([&] { sim = std::make_unique<cdpsim::Simulation>(*scenario, 7); });
  // Warm up past the first weeks, when memberships are still forming.
  arena.execute([&] {
    for (int t = 0; t < 5; ++t) sim->step();
  });
  std::int64_t member_weeks = 0;
  for (auto _ : state) {
    arena.execute([&] { benchmark::DoNotOptimize(sim->step()); });
    member_weeks += members;
  }
  state.counters["member_weeks_per_s"] =
      benchmark::Counter(static_cast<double>(member_weeks), benchmark::Counter::kIsRate);
  state.counters["threads"] = threads;
}

}  // namespace

BENCHMARK(BM_Week)
    ->ArgsProduct({{100'000, 1'000'000}, {1, 2}})
    ->ArgNames({"members", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(3.0);

BENCHMARK_MAIN();
