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

namespace {

// A small scenario with two interventions: a support programme paying for at most 100 hours
// between weeks 5 and 50, and a 1.2x animation boost between weeks 10 and 40.
const std::string kProgramme = "extends = \"" + kScenario +
                               "\"\n"
                               "shocks = []\n"
                               "[simulation]\nweeks = 60\n"
                               "[population]\npotential_members = 400\n"
                               "[[interventions]]\n"
                               "name = \"support programme\"\n"
                               "key = \"support.capacity_hours\"\n"
                               "set = 40\nstart = 5\nend = 50\n"
                               "budget_hours = 100\ncost_per_hour = 50\n"
                               "[[interventions]]\n"
                               "name = \"animation boost\"\n"
                               "key = \"levers.animation\"\n"
                               "scale = 1.2\nstart = 10\nend = 40\n";

EnsemblePlan programme_plan(const DesignRequest& r) {
  return make_plan_from_toml(kProgramme, "programme.toml", r);
}

// The message of the user error a request gives ("" when it gives none).
std::string refusal(const DesignRequest& r) {
  try {
    (void)programme_plan(r);
  } catch (const ScenarioError& e) {
    return e.what();
  } catch (const DesignError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("Intervention keys sweep like any key, numbers into their Scalars", "[unit][ensemble]") {
  const EnsemblePlan p = programme_plan(
      request({"interventions.0.budget_hours=1000,2000,4000", "interventions.1.scale=1.5,2"}));
  REQUIRE(p.points() == 6);
  CHECK(p.keys ==
        std::vector<std::string>{"interventions.0.budget_hours", "interventions.1.scale"});
  CHECK(p.point_sets(5) ==
        std::vector<std::string>{"interventions.0.budget_hours=4000", "interventions.1.scale=2"});
  CHECK(p.design[0] == std::vector<double>{1000, 1.5});
  CHECK(p.design[5] == std::vector<double>{4000, 2});
  CHECK(p.scenarios[3].interventions[0].budget_hours == Scalar::of(2000));
  CHECK(p.scenarios[3].interventions[1].scale == Scalar::of(2));
  CHECK(p.scenarios[3].interventions[1].start == Scalar::of(10));  // the rest is the file's
  CHECK(p.runs() == 12);

  // Plain numeric fields of an intervention.
  const EnsemblePlan q = programme_plan(
      request({"interventions.0.cost_per_week=0,25", "interventions.1.ramp_weeks=0,10"}));
  REQUIRE(q.points() == 4);
  CHECK(q.design[3] == std::vector<double>{25, 10});
  CHECK(q.scenarios[3].interventions[0].cost_per_week == 25);
  CHECK(q.scenarios[3].interventions[1].ramp_weeks == 10);

  // start and end swept together: each value alone would end before it starts (the file's end
  // is week 50), every combination is valid, so the points are judged, not the values alone.
  const EnsemblePlan w =
      programme_plan(request({"interventions.0.start=52,55", "interventions.0.end=58,60"}, 1));
  REQUIRE(w.points() == 4);
  CHECK(w.design[1] == std::vector<double>{52, 60});
  CHECK(w.scenarios[1].interventions[0].end == Scalar::of(60));

  // Dates are Scalars too; they have no number in the design.
  const EnsemblePlan d = programme_plan(request({"interventions.0.start=2018-10-01,2018-11-05"}));
  REQUIRE(d.points() == 2);
  CHECK(std::isnan(d.design[0][0]));
  CHECK(d.scenarios[1].interventions[0].start.kind == Scalar::Kind::date);
  CHECK(d.scenarios[1].interventions[0].start.date == Date{2018, 11, 5});
}

TEST_CASE("A Latin hypercube samples intervention numbers, weeks as whole numbers",
          "[unit][ensemble]") {
  DesignRequest r =
      request({"interventions.0.budget_hours=100,400", "interventions.0.end=20,50"}, 1);
  r.kind = DesignKind::lhs;
  r.samples = 8;
  const EnsemblePlan p = programme_plan(r);
  REQUIRE(p.points() == 8);
  std::set<int> strata;
  for (std::size_t i = 0; i < 8; ++i) {
    const double b = p.design[i][0], e = p.design[i][1];
    CHECK(b >= 100);
    CHECK(b <= 400);
    strata.insert(static_cast<int>(std::floor((b - 100) / 300 * 8)));
    CHECK(e == std::round(e));
    CHECK(e >= 20);
    CHECK(e <= 50);
    CHECK(p.values[i][1] == std::to_string(static_cast<int>(e)));  // "37", not "37.0"
    CHECK(p.scenarios[i].interventions[0].budget_hours == Scalar::of(b));
    CHECK(std::stod(p.values[i][0]) == b);
  }
  CHECK(strata.size() == 8);
}

TEST_CASE("Bad intervention sweeps are refused before any run", "[unit][ensemble]") {
  // An element the scenario does not have: the allowed indices are named.
  std::string m = refusal(request({"interventions.2.budget_hours=10,20"}));
  CHECK_THAT(m, Catch::Contains("interventions.2.budget_hours") &&
                    Catch::Contains("no element 2") && Catch::Contains("[0, 1]"));
  CHECK_THROWS_WITH(make_plan(kScenario, request({"interventions.0.budget_hours=10"})),
                    Catch::Contains("the array is empty"));
  // Out of the field's own range (the loader), or of the field's type.
  CHECK_THAT(refusal(request({"interventions.0.budget_hours=-5,10"})),
             Catch::Contains("out of range") && Catch::Contains("--sweep"));
  CHECK_THAT(refusal(request({"interventions.0.ramp_weeks=1.5"})),
             Catch::Contains("interventions.0.ramp_weeks"));
  // The intervention rules, at the point that breaks them, with the model's message.
  m = refusal(request({"interventions.0.ramp_weeks=10,50"}));
  CHECK_THAT(m, Catch::Contains("--sweep point 1 (interventions.0.ramp_weeks=50)") &&
                    Catch::Contains("interventions[0].ramp_weeks") &&
                    Catch::Contains("longer than the span"));
  // Locations would be lines of the resolved text, not of the user's file: none are given.
  CHECK_THAT(m, Catch::Contains("programme.toml: interventions[0]"));
  CHECK_THAT(refusal(request({"interventions.0.set=40,2e6"})),
             Catch::Contains("interventions[0].set") &&
                 Catch::Contains("out of range for support.capacity_hours"));
  CHECK_THAT(refusal(request({"interventions.1.scale=1.5,3"})),
             Catch::Contains("interventions[1].scale") && Catch::Contains("out of range"));
  CHECK_THAT(refusal(request({"interventions.0.start=52,60", "interventions.0.end=58"})),
             Catch::Contains("(interventions.0.start=60 interventions.0.end=58)") &&
                 Catch::Contains("interventions[0].end") && Catch::Contains("not after the start"));
  CHECK_THAT(refusal(request({"interventions.0.budgt=1"})),
             Catch::Contains("did you mean 'budget'?"));
  // A hypercube needs numbers: not a date, nor a string field.
  DesignRequest lhs = request({"interventions.0.start=2018-10-01,2019-01-07"}, 1);
  lhs.kind = DesignKind::lhs;
  lhs.samples = 3;
  CHECK_THAT(refusal(lhs), Catch::Contains("needs numbers") && Catch::Contains("week numbers"));
  lhs.sweeps = {parse_sweep("interventions.0.name=a,b")};
  CHECK_THAT(refusal(lhs), Catch::Contains("needs numeric keys"));
}
