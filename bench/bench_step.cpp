// Member-weeks simulated per second on fixed week ranges (docs/performance.md).
//   build/bench/cdpsim_bench --benchmark_counters_tabular=true
//   build/bench/cdpsim_bench --members=1000000 --threads=1,2 --warmup=5 --weeks=60
// The scenario is Passerelles scaled up, as in ../shared/peers/twin/bench_twin.py: every member
// exists from week 0 (no pool), one organisation per 20 members, one CdP per 50, seed 7.
//
// Each run builds a new simulation, steps --warmup weeks untimed, then times exactly --weeks
// weeks (weeks warmup .. warmup+weeks-1), so builds of different speed are timed on the same
// weeks (Google Benchmark's MinTime would time a faster build on later, dearer weeks).
// Member-weeks are counted as N per week (the initial members), as the twin counts them.
// Counters: member-weeks/s (wall time), member-weeks per CPU second (all threads), ns per
// member-week, bytes per potential member (resident memory gained while building and running the
// simulation) and each part's share of the timed weeks (Simulation::set_timing).
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "experiments/scenario_io.hpp"
#include "models/scenario.hpp"
#include "models/schedule.hpp"
#include "sim/memory.hpp"

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

// Resident memory of this process (bytes), from /proc/self/statm.
double resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0.0;
  long pages = 0, resident = 0;
  const int got = std::fscanf(f, "%ld %ld", &pages, &resident);
  std::fclose(f);
  return got == 2 ? static_cast<double>(resident) * 4096.0 : 0.0;
}

int g_warmup = 5;
int g_weeks = 100;

void BM_Weeks(benchmark::State& state) {
  const std::int64_t members = state.range(0);
  const int threads = static_cast<int>(state.range(1));
  static std::unique_ptr<cdpsim::Scenario> scenario;
  static std::int64_t scenario_members = -1;
  if (scenario_members != members) {
    scenario.reset();
    scenario = std::make_unique<cdpsim::Scenario>(scaled(members));
    scenario_members = members;
  }
  const std::int64_t potential = members + members / 10;
  tbb::task_arena arena(threads);
  cdpsim::StepTimes parts;
  double bytes = 0.0, cpu = 0.0, wall = 0.0;
  for (auto _ : state) {
    const double rss0 = resident_bytes();
    std::unique_ptr<cdpsim::Simulation> sim;
    arena.execute([&] { sim = std::make_unique<cdpsim::Simulation>(*scenario, 7); });
    arena.execute([&] {
      for (int t = 0; t < g_warmup; ++t) benchmark::DoNotOptimize(sim->step());
    });
    sim->set_timing(&parts);
    const std::clock_t c0 = std::clock();
    const auto t0 = std::chrono::steady_clock::now();
    arena.execute([&] {
      for (int t = 0; t < g_weeks; ++t) benchmark::DoNotOptimize(sim->step());
    });
    const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    cpu += static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    sim->set_timing(nullptr);
    bytes = std::max(bytes, resident_bytes() - rss0);
    wall += dt;
    state.SetIterationTime(dt);
  }
  const double member_weeks = static_cast<double>(members) * g_weeks * state.iterations();
  double total = 0.0;
  for (double x : parts.seconds) total += x;
  state.counters["member_weeks_per_s"] =
      benchmark::Counter(member_weeks, benchmark::Counter::kIsRate);
  state.counters["ns_per_member_week"] = wall * 1e9 / member_weeks;
  // CPU time of the process (all threads) over the timed weeks: on a shared machine, less
  // disturbed by other processes than wall time.
  state.counters["member_weeks_per_cpu_s"] = cpu > 0 ? member_weeks / cpu : 0.0;
  state.counters["bytes_per_member"] = bytes / static_cast<double>(potential);
  state.counters["threads"] = threads;
  state.counters["first_week"] = g_warmup;
  state.counters["weeks"] = g_weeks;
  for (int p = 0; p < cdpsim::StepTimes::kParts; ++p)
    state.counters[std::string("pct_") + cdpsim::StepTimes::kNames[p]] =
        total > 0 ? 100.0 * parts.seconds[p] / total : 0.0;
}

std::vector<std::int64_t> parse_list(const char* s) {
  std::vector<std::int64_t> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(std::stoll(item));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  cdpsim::tune_allocator();  // sim/memory.hpp
  std::vector<std::int64_t> members = {100'000, 1'000'000}, threads = {1, 2};
  int repeats = 1;
  // Own flags first (removed from argv), the rest goes to Google Benchmark.
  int kept = 1;
  for (int a = 1; a < argc; ++a) {
    const auto value = [&](const char* flag) -> const char* {
      const std::size_t n = std::strlen(flag);
      return std::strncmp(argv[a], flag, n) == 0 ? argv[a] + n : nullptr;
    };
    if (const char* v = value("--members=")) {
      members = parse_list(v);
    } else if (const char* v2 = value("--threads=")) {
      threads = parse_list(v2);
    } else if (const char* v3 = value("--warmup=")) {
      g_warmup = std::atoi(v3);
    } else if (const char* v4 = value("--weeks=")) {
      g_weeks = std::atoi(v4);
    } else if (const char* v5 = value("--runs=")) {
      repeats = std::atoi(v5);
    } else {
      argv[kept++] = argv[a];
    }
  }
  argc = kept;
  auto* b = benchmark::RegisterBenchmark("BM_Weeks", BM_Weeks);
  b->ArgsProduct({members, threads})
      ->ArgNames({"members", "threads"})
      ->Unit(benchmark::kMillisecond)
      ->UseManualTime()
      ->Iterations(repeats);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
