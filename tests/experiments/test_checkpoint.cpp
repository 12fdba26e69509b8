// Checkpoints and branches (experiments/run/checkpoint.hpp, branch.hpp): a resumed run equals
// the uninterrupted one bit for bit, in every recorded field and every store of the World.
#include <tbb/task_arena.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <type_traits>

#include "experiments/metrics/summary.hpp"
#include "experiments/run/branch.hpp"
#include "experiments/run/checkpoint.hpp"
#include "models/world_stores.hpp"
#include "test_util.hpp"

using namespace cdpsim;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("cdpsim-ckpt-" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// Exactly equal (NaN equals NaN: a ratio without a denominator).
template <class T>
bool eq(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>) return a == b || (a != a && b != b);
  return a == b;
}

// Walks the fields of record `a`, finding the same field of `b` at the same offset.
struct RecordDiffer {
  const WeekRecord& a;
  const WeekRecord& b;
  std::vector<std::string>& diff;
  template <class T>
  const T& in_b(const T& x) {
    const auto off = reinterpret_cast<const char*>(&x) - reinterpret_cast<const char*>(&a);
    return *reinterpret_cast<const T*>(reinterpret_cast<const char*>(&b) + off);
  }
  template <class T>
  void field(const char* n, const T& x) {
    if (!eq(x, in_b(x))) diff.emplace_back(n);
  }
  template <class T, std::size_t N>
  void fixed(const char* n, const std::array<T, N>& x) {
    if (x != in_b(x)) diff.emplace_back(n);
  }
  template <class T>
  void ragged(const char* n, const std::vector<T>& x) {
    const auto& y = in_b(x);
    bool same = x.size() == y.size();
    for (std::size_t i = 0; same && i < x.size(); ++i) same = eq(x[i], y[i]);
    if (!same) diff.emplace_back(n);
  }
};

// The names of the fields in which two records differ.
std::vector<std::string> record_diff(const WeekRecord& a, const WeekRecord& b) {
  std::vector<std::string> diff;
  RecordDiffer v{a, b, diff};
  visit_fields(a, v);
  return diff;
}

void require_same_weeks(const std::vector<WeekRecord>& a, const std::vector<WeekRecord>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t t = 0; t < a.size(); ++t) {
    INFO("week " << t);
    const auto d = record_diff(a[t], b[t]);
    CAPTURE(d);
    REQUIRE(d.empty());
  }
}

// Every store of a world as bytes, by name.
struct Flatten {
  std::vector<std::pair<std::string, std::string>> out;  // name, bytes
  template <class T>
  void array(const char* n, const char*, const std::vector<T>& v) {
    std::string bytes;
    if constexpr (std::is_same_v<T, std::string>) {
      for (const auto& s : v) bytes += s + '\0';
    } else {
      bytes.assign(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
    }
    out.emplace_back(n, bytes);
  }
  template <class T>
  void count(const char* n, T v) {
    out.emplace_back(n, std::to_string(v));
  }
  void events(const char* n, const std::vector<Event>& e) {
    std::string s;
    for (const Event& x : e)
      s += std::to_string(x.week) + "," + std::to_string(static_cast<int>(x.kind)) + "," +
           std::to_string(x.cdp) + "," + x.detail + ";";
    out.emplace_back(n, s);
  }
};

// Every store of two worlds, compared exactly.
std::vector<std::string> world_diff(const World& a, const World& b) {
  Flatten fa, fb;
  visit_stores(a, fa);
  visit_stores(b, fb);
  std::vector<std::string> d;
  for (std::size_t i = 0; i < fa.out.size(); ++i)
    if (fa.out[i].second != fb.out[i].second) d.push_back(fa.out[i].first);
  return d;
}

struct Finished {
  std::vector<WeekRecord> weeks;
  World world;
};

Finished run_through(const Scenario& s, std::uint64_t seed, int threads) {
  Finished f;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    Simulation sim(s, seed);
    for (std::int64_t t = 0; t < s.simulation.weeks; ++t) f.weeks.push_back(sim.step());
    f.world = sim.world();
  });
  return f;
}

// Runs `s` to week `w`, writes a checkpoint, reads it back and runs on to the end.
Finished run_with_checkpoint(const Scenario& s, std::uint64_t seed, std::int32_t w,
                             const fs::path& file, int threads_before, int threads_after) {
  {
    tbb::task_arena arena(threads_before);
    arena.execute([&] {
      Simulation sim(s, seed);
      Recorder rec(s.output.per_cdp_series);
      for (std::int32_t t = 0; t < w; ++t) rec.record(sim.step(), sim.world());
      write_checkpoint(file, s, seed, sim, rec);
    });
  }
  Checkpoint c = read_checkpoint(file);
  REQUIRE(c.week() == w);
  REQUIRE(c.seed == seed);
  REQUIRE(c.scenario_toml == resolved_toml(s));
  Finished f;
  f.weeks = c.weeks;
  tbb::task_arena arena(threads_after);
  arena.execute([&] {
    Simulation sim(s, c.seed, std::move(c.state));
    for (std::int64_t t = w; t < s.simulation.weeks; ++t) f.weeks.push_back(sim.step());
    f.world = sim.world();
  });
  return f;
}

}  // namespace

TEST_CASE("A run resumed from a checkpoint equals the uninterrupted run, bit for bit",
          "[checkpoint][determinism]") {
  const Scenario s = test::small_scenario(40, {}, 6000, 800);
  const fs::path dir = temp_dir("resume");
  const Finished whole = run_through(s, 7, 1);
  for (const auto& [w, before, after] : {std::tuple{17, 1, 1}, {17, 1, 2}, {1, 2, 1}, {39, 2, 2}}) {
    INFO("checkpoint at week " << w << ", threads " << before << " then " << after);
    const Finished resumed =
        run_with_checkpoint(s, 7, w, dir / checkpoint_file_name(w), before, after);
    require_same_weeks(whole.weeks, resumed.weeks);
    const auto d = world_diff(whole.world, resumed.world);
    CAPTURE(d);
    REQUIRE(d.empty());
  }
  fs::remove_all(dir);
}

TEST_CASE("Resuming keeps interventions, triggers and budgets where they were",
          "[checkpoint][interventions]") {
  // A triggered programme with a budget of hours, checkpointed while it is in force.
  const Scenario s =
      load_scenario(std::string(CDPSIM_SOURCE_DIR) + "/scenarios/support-triggered.toml",
                    {"population.potential_members=5000", "population.initial_members=700"});
  const fs::path dir = temp_dir("interventions");
  const Finished whole = run_through(s, 3, 2);
  bool active_at_some_checkpoint = false;
  for (const std::int32_t w : {60, 110, 150}) {
    INFO("checkpoint at week " << w);
    for (std::uint8_t on : whole.weeks[static_cast<std::size_t>(w) - 1].interventions_active)
      active_at_some_checkpoint = active_at_some_checkpoint || on != 0;
    const Finished resumed = run_with_checkpoint(s, 3, w, dir / checkpoint_file_name(w), 2, 1);
    require_same_weeks(whole.weeks, resumed.weeks);
    REQUIRE(world_diff(whole.world, resumed.world).empty());
  }
  CHECK(active_at_some_checkpoint);
  fs::remove_all(dir);
}

TEST_CASE("A branch that changes nothing is the unbranched run", "[checkpoint][branch]") {
  const Scenario s = test::small_scenario(36);
  const fs::path dir = temp_dir("branch-same");
  const Finished whole = run_through(s, 5, 2);
  const Finished to_w = run_with_checkpoint(s, 5, 20, dir / "w.h5", 2, 2);
  const Checkpoint c = read_checkpoint(dir / "w.h5");
  Branch b = make_branch(c, s, "test", SeedPolicy::continue_run, 0);
  REQUIRE(b.scenario.interventions.empty());
  const RunSummary sum = simulate_summary(b.scenario, b.start.seed, -1, {}, &b.start);
  require_same_weeks(whole.weeks, sum.weeks);
  fs::remove_all(dir);
}

TEST_CASE("A branch with an intervention equals a run whose intervention starts at the branch",
          "[checkpoint][branch]") {
  const Scenario s = test::small_scenario(40);
  const fs::path dir = temp_dir("branch-intervention");
  const std::int32_t W = 18;
  run_with_checkpoint(s, 9, W, dir / "w.h5", 1, 1);
  const Checkpoint c = read_checkpoint(dir / "w.h5");
  // The branch doubles support capacity from W on, by a --set on a lever.
  Scenario requested = s;
  requested.levers.support_capacity = 0.9;
  Branch b = make_branch(c, requested, "test", SeedPolicy::continue_run, 0);
  REQUIRE(b.scenario.interventions.size() == 1);
  CHECK(b.scenario.interventions[0].key == "levers.support_capacity");
  const RunSummary branched = simulate_summary(b.scenario, b.start.seed, -1, {}, &b.start);
  // The same intervention written into the scenario from the start.
  const Scenario with = load_scenario_text(resolved_toml(b.scenario), "branch");
  const Finished direct = run_through(with, 9, 2);
  require_same_weeks(direct.weeks, branched.weeks);
  // And it changed something after W, nothing before (the plain run has no intervention
  // column to record).
  const Finished plain = run_through(s, 9, 1);
  for (std::int32_t t = 0; t < W; ++t)
    REQUIRE(record_diff(plain.weeks[t], branched.weeks[t]) ==
            std::vector<std::string>{"interventions_active"});
  CHECK(branched.weeks.back().support_hours_given != plain.weeks.back().support_hours_given);
  fs::remove_all(dir);
}

TEST_CASE("A reseeded branch shares the history and draws other numbers after it",
          "[checkpoint][branch]") {
  const Scenario s = test::small_scenario(36);
  const fs::path dir = temp_dir("branch-reseed");
  const Finished whole = run_with_checkpoint(s, 4, 15, dir / "w.h5", 1, 1);
  const Checkpoint c = read_checkpoint(dir / "w.h5");
  Branch b = make_branch(c, s, "test", SeedPolicy::reseed, reseeded(4, 15));
  CHECK(b.start.seed == reseeded(4, 15));
  CHECK(b.start.seed != 4);
  const RunSummary r = simulate_summary(b.scenario, b.start.seed, -1, {}, &b.start);
  for (std::size_t t = 0; t < 15; ++t) REQUIRE(record_diff(whole.weeks[t], r.weeks[t]).empty());
  double diff = 0;
  for (std::size_t t = 15; t < r.weeks.size(); ++t)
    diff += std::abs(static_cast<double>(r.weeks[t].contributions - whole.weeks[t].contributions));
  CHECK(diff > 0);
  fs::remove_all(dir);
}

TEST_CASE("A branch may not change what the history depends on", "[checkpoint][branch]") {
  const Scenario s = test::small_scenario(30);
  const fs::path dir = temp_dir("branch-refused");
  run_with_checkpoint(s, 2, 10, dir / "w.h5", 1, 1);
  const Checkpoint c = read_checkpoint(dir / "w.h5");
  Scenario bigger = s;
  bigger.population.potential_members += 1;
  REQUIRE_THROWS_WITH(make_branch(c, bigger, "b.toml", SeedPolicy::continue_run, 0),
                      Catch::Contains("b.toml: population.potential_members: differs") &&
                          Catch::Contains("allowed: the mid-run keys"));
  Scenario shorter = s;
  shorter.simulation.weeks = 5;
  REQUIRE_THROWS_WITH(make_branch(c, shorter, "b.toml", SeedPolicy::continue_run, 0),
                      Catch::Contains("simulation.weeks") && Catch::Contains("at least 10"));
  Scenario early = s;
  InterventionSpec in;
  in.key = "levers.animation";
  in.set = Scalar::of(0.8);
  in.start = Scalar::of(5.0);
  early.interventions.push_back(in);
  REQUIRE_THROWS_WITH(
      make_branch(c, early, "b.toml", SeedPolicy::continue_run, 0),
      Catch::Contains("interventions[0].start") && Catch::Contains("before the branch week 10"));
  fs::remove_all(dir);
}

TEST_CASE("A damaged checkpoint is refused, not believed", "[checkpoint]") {
  const Scenario s = test::small_scenario(20);
  const fs::path dir = temp_dir("damaged");
  run_with_checkpoint(s, 1, 10, dir / "w.h5", 1, 1);
  const auto bytes = [&] {
    std::ifstream in(dir / "w.h5", std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  const auto write = [&](const std::string& name, const std::string& content) {
    std::ofstream(dir / name, std::ios::binary) << content;
    return dir / name;
  };
  // Truncated.
  REQUIRE_THROWS_AS(read_checkpoint(write("half.h5", bytes.substr(0, bytes.size() / 2))),
                    CheckpointError);
  // Bytes changed in the middle of the arrays: a chunk checksum fails.
  std::string flipped = bytes;
  for (std::size_t i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i) flipped[i] ^= 0x5A;
  REQUIRE_THROWS_AS(read_checkpoint(write("flipped.h5", flipped)), CheckpointError);
  // Not HDF5 at all, and missing.
  REQUIRE_THROWS_AS(read_checkpoint(write("text.h5", "not a checkpoint\n")), CheckpointError);
  REQUIRE_THROWS_WITH(read_checkpoint(dir / "none.h5"), Catch::Contains("no such checkpoint"));
  REQUIRE_THROWS_WITH(read_checkpoint(dir), Catch::Contains("is a folder"));
  fs::remove_all(dir);
}

TEST_CASE("Checkpoint file names carry the week", "[checkpoint]") {
  CHECK(checkpoint_file_name(80) == "week-000080.h5");
  CHECK(checkpoint_file_week("a/b/week-000080.h5") == 80);
  CHECK(checkpoint_file_week("week-00008.h5") == -1);
  CHECK(checkpoint_file_week(".week-000080.h5.tmp-12") == -1);
  CHECK(checkpoint_file_week("week-0000x0.h5") == -1);
}
