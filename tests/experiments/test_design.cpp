// Ensemble plans (docs/ensembles.md): sweep parsing, grid order, Latin hypercube strata, the seed
// rule and its independence from the design point, and bad designs.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <string>

#include "experiments/ensemble/design.hpp"
#include "experiments/ensemble/shards.hpp"
#include "sim/scenario/loader.hpp"

using namespace cdpsim;

namespace {

const std::string kScenario = std::string(CDPSIM_SOURCE_DIR) + "/scenarios/passerelles.toml";

DesignRequest request(std::vector<std::string> sweeps, std::int64_t replicates = 2) {
  DesignRequest r;
  for (const auto& s : sweeps) r.sweeps.push_back(parse_sweep(s));
  r.replicates = replicates;
  r.master_seed = 42;
  return r;
}

}  // namespace

TEST_CASE("Sweeps parse into a key and trimmed values", "[unit][ensemble]") {
  const Sweep s = parse_sweep(" levers.animation = 0.2, 0.5 ,0.8");
  CHECK(s.key == "levers.animation");
  CHECK(s.values == std::vector<std::string>{"0.2", "0.5", "0.8"});
  CHECK_THROWS_AS(parse_sweep("levers.animation"), DesignError);
  CHECK_THROWS_AS(parse_sweep("levers.animation="), DesignError);
  CHECK_THROWS_AS(parse_sweep("levers.animation=0.2,,0.5"), DesignError);
  CHECK_THROWS_AS(parse_sweep("=0.2"), DesignError);
}

TEST_CASE("A grid is the Cartesian product, the last sweep fastest", "[unit][ensemble]") {
  const EnsemblePlan p = make_plan(kScenario, request({"levers.animation=0.2,0.8",
                                                       "support.mode=expert,none,"
                                                       "capacity_building"}));
  REQUIRE(p.points() == 6);
  CHECK(p.runs() == 12);
  CHECK(p.point_sets(1) == std::vector<std::string>{"levers.animation=0.2", "support.mode=none"});
  CHECK(p.point_sets(3) == std::vector<std::string>{"levers.animation=0.8", "support.mode=expert"});
  CHECK(p.design[4][0] == 0.8);
  CHECK(std::isnan(p.design[4][1]));
  CHECK(p.scenarios[3].levers.animation == 0.8);
  CHECK(p.scenarios[3].support.mode == "expert");
  // run = point * R + replicate; the seed depends on the replicate only.
  CHECK(p.point_of(7) == 3);
  CHECK(p.replicate_of(7) == 1);
  CHECK(p.seed_of(1) == p.seed_of(11));
  CHECK(p.seed_of(0) != p.seed_of(1));
}

TEST_CASE("Replicate seeds follow the documented SplitMix64 rule", "[unit][ensemble]") {
  // SplitMix64(SplitMix64(42) xor 3) >> 12, computed independently in Python.
  CHECK(replicate_seed(42, 3) == 0xfa4f945599f90ULL);
  CHECK(replicate_seed(42, 0) < (1ULL << 52));
  std::set<std::uint64_t> seeds;
  for (int r = 0; r < 1000; ++r) seeds.insert(replicate_seed(7, r));
  CHECK(seeds.size() == 1000);
}

TEST_CASE("A Latin hypercube uses each stratum once per key", "[unit][ensemble]") {
  DesignRequest r = request({"levers.animation=0.2,0.6", "population.initial_cdps=4,20"}, 1);
  r.kind = DesignKind::lhs;
  r.samples = 10;
  const EnsemblePlan p = make_plan(kScenario, r);
  REQUIRE(p.points() == 10);
  std::set<int> strata;
  for (std::int64_t i = 0; i < 10; ++i) {
    const double x = p.design[static_cast<std::size_t>(i)][0];
    strata.insert(static_cast<int>(std::floor((x - 0.2) / 0.4 * 10)));
    const double k = p.design[static_cast<std::size_t>(i)][1];
    CHECK(k == std::round(k));
    CHECK(k >= 4);
    CHECK(k <= 20);
    // The --set text reads back as exactly the stored value.
    CHECK(std::stod(p.values[static_cast<std::size_t>(i)][0]) == x);
  }
  CHECK(strata.size() == 10);
  CHECK(make_plan(kScenario, r).values == p.values);
  r.master_seed = 43;
  CHECK(make_plan(kScenario, r).values != p.values);
}

TEST_CASE("Bad designs are refused before any run", "[unit][ensemble]") {
  CHECK_THROWS_AS(make_plan(kScenario, request({"simulation.weeks=10,20"})), DesignError);
  CHECK_THROWS_AS(make_plan(kScenario, request({"levers.animation=0.2", "levers.animation=0.5"})),
                  DesignError);
  CHECK_THROWS_AS(make_plan(kScenario, request({"levers.animation=0.2,1.5"})), ScenarioError);
  CHECK_THROWS_AS(make_plan(kScenario, request({"levers.animatoin=0.2"})), ScenarioError);
  DesignRequest lhs = request({});
  lhs.kind = DesignKind::lhs;
  lhs.samples = 4;
  CHECK_THROWS_AS(make_plan(kScenario, lhs), DesignError);
  CHECK_THROWS_AS(make_plan(kScenario, request({}, 0)), DesignError);
}

TEST_CASE("Run lists are described as ranges", "[unit][ensemble]") {
  const std::vector<std::int64_t> runs = {0, 1, 2, 5, 7, 8};
  CHECK(describe_runs(runs) == "0-2, 5, 7-8");
  CHECK(describe_runs(runs, 2) == "0-2, 5, ...");
  CHECK(describe_runs({}) == "");
}
