#include <catch2/catch.hpp>

#include "models/init.hpp"
#include "models/knowledge_sharing.hpp"
#include "models/participation.hpp"
#include "models/platform.hpp"
#include "test_util.hpp"

using namespace cdpsim;

TEST_CASE("Competition damps sharing and trust restores it", "[unit][sharing]") {
  CHECK(sharing_probability(0.0, 0.0) == 1.0);
  CHECK(sharing_probability(1.0, 0.0) == 0.0);
  CHECK(sharing_probability(1.0, 1.0) == 1.0);
  CHECK(sharing_probability(0.6, 0.5) == Approx(0.7));
  CHECK(effective_trust(1.0, 0.0) == 0.5);
  CHECK(trust_after(0.5, false, 0.1, 0.0, 0.5, 1.0) == 0.5);
  CHECK(trust_after(0.5, true, 0.1, 0.0, 0.0, 1.0) == Approx(0.55));
  // An open platform slows trust building (reach versus trust).
  CHECK(trust_after(0.5, true, 0.1, 0.0, 0.5, 1.0) < trust_after(0.5, true, 0.1, 0.0, 0.5, 0.0));
}

TEST_CASE("High competition lowers the simulated sharing rate", "[statistical][sharing]") {
  auto rate = [](double comp) {
    const auto r = test::run_weeks(
        test::small_scenario(40, {"territory.default_competition=" + std::to_string(comp)}), 21, 2);
    double shared = 0, contrib = 0;
    for (const auto& w : r) {
      shared += w.sharing_rate * w.contributions;
      contrib += w.contributions;
    }
    return shared / contrib;
  };
  const double lo = rate(0.1), hi = rate(0.9);
  CHECK(lo > hi + 0.1);
  CHECK(lo <= 1.0);
}

TEST_CASE("Critical mass is an S-curve through one half at mass_half", "[unit][platform]") {
  Scenario s = test::small_scenario(5, {"population.initial_cdps=2"}, 100, 10);
  const Effective eff = apply_levers(s);
  const Rng rng(1);
  World w = make_world(s, eff, rng);
  const StepContext ctx{s, eff, rng, 0, ShockEffects{}};
  w.platforms.active_users[0] = static_cast<std::int64_t>(s.platform.mass_half);
  update_platforms(w, ctx);
  CHECK(w.platforms.mass[0] == Approx(0.5));
  w.platforms.active_users[0] = 0;
  update_platforms(w, ctx);
  CHECK(w.platforms.mass[0] == 0.0);
  w.platforms.active_users[0] = static_cast<std::int64_t>(10 * s.platform.mass_half);
  update_platforms(w, ctx);
  CHECK(w.platforms.mass[0] > 0.95);
  CHECK(w.platforms.quality[0] == Approx(s.platforms[0].usability));
}

TEST_CASE("Participation probability falls with cost and rises with benefit",
          "[unit][participation]") {
  ParticipationParams p;
  CHECK(participation_probability(p, 1.0, 0.0, 1.0) == Approx(0.5));
  CHECK(participation_probability(p, 2.0, 0.0, 1.0) > 0.5);
  CHECK(participation_cost(p, 0.5, 4.0, 0, 0) < participation_cost(p, 0.5, 1.0, 0, 0));
  CHECK(participation_cost(p, 0.5, 1.0, 0.8, 0.2) > participation_cost(p, 0.5, 1.0, 0.8, 0.9));
  CHECK(contribution_rate(p, 2, 1.0) == p.rate_core);
  CHECK(contribution_rate(p, 0, 2.0) == 2.0 * p.rate_peripheral);
}
