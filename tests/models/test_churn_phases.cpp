#include <catch2/catch.hpp>

#include "models/init.hpp"
#include "models/phases.hpp"
#include "test_util.hpp"

using namespace cdpsim;

TEST_CASE("Newcomers return at the Joyce & Kraut rates, higher after a reply",
          "[statistical][churn]") {
  const auto r = test::run_weeks(
      test::small_scenario(150, {"participation.rate_peripheral=0.5"}, 10000, 3000), 17, 2);
  const double first = test::total(r, [](auto& w) { return w.newcomer_first_posts; });
  const double replied = test::total(r, [](auto& w) { return w.newcomer_replies; });
  const double ret = test::total(r, [](auto& w) { return w.newcomer_returns; });
  const double ret_rep = test::total(r, [](auto& w) { return w.newcomer_returns_replied; });
  const Scenario s = test::small_scenario(150, {"participation.rate_peripheral=0.5"}, 10000, 3000);
  REQUIRE(replied > 200);
  REQUIRE(first - replied > 200);
  const double p_rep = ret_rep / replied, p_no = (ret - ret_rep) / (first - replied);
  CHECK(std::fabs(p_rep - s.churn.return_with_reply) <
        4 * test::binomial_se(s.churn.return_with_reply, replied));
  CHECK(std::fabs(p_no - s.churn.return_without_reply) <
        4 * test::binomial_se(s.churn.return_without_reply, first - replied));
}

TEST_CASE("A potential CdP without active members dissolves after exactly dead_weeks",
          "[unit][phases]") {
  Scenario s = test::small_scenario(5, {"population.initial_cdps=1", "phases.dead_weeks=3"}, 50, 5);
  const Effective eff = apply_levers(s);
  const Rng rng(1);
  World w = make_world(s, eff, rng);
  for (int t = 0; t < 3; ++t) {
    w.cdps.active[0] = 0;
    const StepContext ctx{s, eff, rng, t, ShockEffects{}};
    const PhaseTotals pt = update_phases(w, ctx);
    INFO("week " << t);
    CHECK(w.cdps.alive(0) == (t < 2));
    CHECK(pt.dissolved == (t == 2 ? 1 : 0));
  }
  REQUIRE(!w.events.empty());
  CHECK(w.events.back().kind == EventKind::cdp_dissolved);
}

TEST_CASE("A healthy CdP matures through the phases in order", "[unit][phases]") {
  Scenario s = test::small_scenario(5, {"population.initial_cdps=1"}, 50, 5);
  const Effective eff = apply_levers(s);
  const Rng rng(1);
  World w = make_world(s, eff, rng);
  w.cdps.theme_clarity[0] = 1.0f;
  w.cdps.autonomy[0] = 1.0f;
  int last = 0;
  for (int t = 0; t < 400 && last < 3; ++t) {
    w.cdps.active[0] = 20;
    w.cdps.members[0] = 30;
    w.cdps.animation_quality[0] = 1.0f;
    const StepContext ctx{s, eff, rng, t, ShockEffects{}};
    update_phases(w, ctx);
    const int ph = w.cdps.phase[0];
    REQUIRE(ph >= last);      // never skips backwards while healthy
    REQUIRE(ph - last <= 1);  // one phase at a time
    last = ph;
  }
  CHECK(last == static_cast<int>(Phase::stewardship));
}

TEST_CASE(
    "A coalesced CdP that stays quiet goes through transformation, not straight to "
    "dissolution",
    "[unit][phases]") {
  Scenario s = test::small_scenario(
      5, {"population.initial_cdps=1", "phases.dead_weeks=3", "phases.decline_weeks=5"}, 50, 5);
  const Effective eff = apply_levers(s);
  const Rng rng(1);
  World w = make_world(s, eff, rng);
  w.cdps.phase[0] = static_cast<std::uint8_t>(Phase::coalescing);
  w.cdps.maturity[0] = s.phases.coalescing_at;
  for (int t = 0; t < 5; ++t) {
    w.cdps.active[0] = 0;
    const StepContext ctx{s, eff, rng, t, ShockEffects{}};
    update_phases(w, ctx);
    INFO("week " << t);
    CHECK(w.cdps.phase[0] ==
          static_cast<std::uint8_t>(t < 4 ? Phase::coalescing : Phase::transformation));
  }
}
