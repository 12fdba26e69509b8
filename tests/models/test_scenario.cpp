#include <catch2/catch.hpp>

#include "experiments/scenario_io.hpp"
#include "sim/scenario/loader.hpp"
#include "test_util.hpp"

using namespace cdpsim;

namespace {

std::string error_of(const std::vector<std::string>& sets) {
  try {
    test::small_scenario(20, sets);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("Contradictory settings are rejected with the keys named", "[unit][scenario]") {
  using Catch::Matchers::Contains;
  CHECK_THAT(error_of({"population.initial_cdps=500"}),
             Contains("population.initial_cdps") && Contains("initial_members"));
  CHECK_THAT(error_of({"shocks.0.start=2018-01-01"}),
             Contains("shocks[0].start") && Contains("outside the simulated horizon"));
  CHECK(error_of({"shocks.0.start=2030-01-07"}).empty());  // after the horizon: valid
  CHECK_THAT(error_of({"engagement.active_threshold=0.9"}), Contains("core_threshold"));
  CHECK_THAT(error_of({"animation.hours_min=9"}), Contains("hours_max"));
  CHECK_THAT(error_of({"population.initial_members=5000"}), Contains("potential_members"));
  CHECK(error_of({}).empty());
}

TEST_CASE("A shock after the horizon is valid, never happens, and --strict refuses it",
          "[unit][scenario]") {
  using Catch::Matchers::Contains;
  const Scenario s = test::small_scenario(20, {"shocks.0.start=2030-01-07"});
  REQUIRE(shocks_beyond_horizon(s, s.simulation.weeks) == std::vector<std::size_t>{0});
  CHECK(shocks_beyond_horizon(s, 5000).empty());
  CHECK_THAT(shock_beyond_warning(s, 0, s.simulation.weeks),
             Contains("shocks[0]") && Contains("2030-01-07") && Contains("never happens"));
  CHECK_THAT(shocks_never_happened(s, s.simulation.weeks), Contains("from 2030-01-07"));
  CHECK_THROWS_WITH(validate(s, "x.toml", true), Contains("x.toml: shocks[0].start") &&
                                                     Contains("outside the simulated horizon"));
  set_strict_horizon(true);
  CHECK_THAT(error_of({"shocks.0.start=2030-01-07"}), Contains("outside the simulated horizon"));
  set_strict_horizon(false);
}

TEST_CASE("The resolved scenario reloads to the same scenario", "[unit][scenario]") {
  const Scenario s = test::small_scenario(20, {"levers.animation=0.3", "support.mode=expert"});
  const std::string text = resolved_toml(s);
  const Scenario back = load_scenario_text(text, "resolved");
  CHECK(resolved_toml(back) == text);
  CHECK(back.levers.animation == 0.3);
  CHECK(back.support_mode() == SupportMode::expert);
  CHECK(back.shocks.size() == 1);
  CHECK(back.territories.size() == 1);
}

TEST_CASE("Weeks are counted from the start date", "[unit][scenario]") {
  Scenario s;  // 2018-09-03
  CHECK(s.week_of(Date{2018, 9, 3}) == 0);
  CHECK(s.week_of(Date{2018, 9, 9}) == 0);
  CHECK(s.week_of(Date{2018, 9, 10}) == 1);
  CHECK(s.week_of(Date{2020, 3, 16}) == 80);
  CHECK(s.week_of(Date{2018, 9, 2}) == -1);
}
