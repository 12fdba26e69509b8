#include <catch2/catch.hpp>

#include "models/init.hpp"
#include "models/support.hpp"
#include "test_util.hpp"

using namespace cdpsim;

namespace {

// A world with four CdPs whose needs are set by hand.
struct Fixture {
  Scenario s;
  Effective eff;
  Rng rng{1};
  World w;
  explicit Fixture(std::vector<std::string> sets) {
    sets.push_back("population.initial_cdps=4");
    s = test::small_scenario(10, sets, 100, 20);
    eff = apply_levers(s);
    w = make_world(s, eff, rng);
    const float need[4] = {10, 4, 7, 1};
    for (int k = 0; k < 4; ++k) {
      w.cdps.phase[k] = static_cast<std::uint8_t>(Phase::maturing);  // no needs analysis
      w.cdps.need_hours[k] = need[k];
      w.cdps.own_hours[k] = 0.0f;
    }
  }
  SupportTotals run() {
    const StepContext ctx{s, eff, rng, 0, ShockEffects{}};
    return allocate_support(w, ctx);
  }
};

}  // namespace

TEST_CASE("Neediest-first allocation fills the largest gaps first", "[unit][support]") {
  Fixture f({"support.capacity_hours=12", "support.policy=neediest", "support.mode=expert",
             "support.expert_efficiency=1"});
  const SupportTotals t = f.run();
  CHECK(t.demanded == Approx(22.0));
  CHECK(t.given == Approx(12.0));
  CHECK(f.w.cdps.support_given[0] == Approx(10.0f));
  CHECK(f.w.cdps.support_given[2] == Approx(2.0f));
  CHECK(f.w.cdps.support_given[1] == 0.0f);
  CHECK(f.w.cdps.support_given[3] == 0.0f);
  // Expert substitution: animation quality = given / need.
  CHECK(f.w.cdps.animation_quality[0] == Approx(1.0f));
  CHECK(f.w.cdps.animation_quality[2] == Approx(2.0f / 7.0f));
}

TEST_CASE("Proportional allocation gives every CdP the same share of its demand",
          "[unit][support]") {
  Fixture f({"support.capacity_hours=11", "support.policy=proportional"});
  f.run();
  for (int k = 0; k < 4; ++k)
    CHECK(f.w.cdps.support_given[k] == Approx(f.w.cdps.need_hours[k] * 0.5f));
}

TEST_CASE("First-come allocation serves the oldest CdPs first", "[unit][support]") {
  Fixture f({"support.capacity_hours=12", "support.policy=first_come"});
  f.w.cdps.birth_week = {5, 1, 3, 0};
  f.run();
  CHECK(f.w.cdps.support_given[3] == Approx(1.0f));
  CHECK(f.w.cdps.support_given[1] == Approx(4.0f));
  CHECK(f.w.cdps.support_given[2] == Approx(7.0f));
  CHECK(f.w.cdps.support_given[0] == Approx(0.0f));
}

TEST_CASE("Capacity building raises skill that stays; expert substitution does not",
          "[unit][support]") {
  Fixture cb({"support.capacity_hours=30", "support.mode=capacity_building"});
  Fixture ex({"support.capacity_hours=30", "support.mode=expert"});
  const std::uint32_t a = cb.w.cdps.animator[0];
  REQUIRE(a != kNone);
  const float before = cb.w.members.skill_anim[a];
  cb.run();
  ex.run();
  CHECK(cb.w.members.skill_anim[a] > before);
  CHECK(cb.w.members.trained[a] == 1);
  CHECK(ex.w.members.skill_anim[a] == before);
  CHECK(cb.w.cdps.autonomy[0] > ex.w.cdps.autonomy[0]);
  // ...but gives less animation this week than an expert would.
  CHECK(cb.w.cdps.animation_quality[0] < ex.w.cdps.animation_quality[0]);
}

TEST_CASE("Mode none and zero capacity give nothing", "[unit][support]") {
  Fixture none({"support.mode=none"});
  CHECK(none.run().given == 0.0);
  Fixture zero({"levers.support_capacity=0"});
  CHECK(zero.run().given == 0.0);
}
